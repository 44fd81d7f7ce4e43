import { describeImplementation } from '@arena/kit/conformance'
import { implementation } from '../src/index.ts'

describeImplementation(implementation)
