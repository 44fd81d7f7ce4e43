import { describeOpenedPool } from '@arena/kit/opened-pool'
import { hash, implementation } from '../src/index.ts'

describeOpenedPool({ implementation, hash })
