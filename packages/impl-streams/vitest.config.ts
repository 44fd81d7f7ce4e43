import { arenaVitestConfig } from '@arena/kit/vitest-config'

export default arenaVitestConfig()
