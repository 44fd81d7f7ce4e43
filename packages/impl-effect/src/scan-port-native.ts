/**
 * scanPort, `native` variant: the default program on Effect's socket module
 * (`native-tcp.ts`) instead of core's probe, by layer. `index.ts` loads this
 * module on the variant's first call, so the other variants do not carry
 * Effect's socket stack in their heap.
 */
import { nativeTcp } from './native-tcp.ts'
import { oneShot } from './run.ts'
import { scanPortCall } from './scan-port.ts'

/** `scanPort` on Effect's socket module. */
export const scanPortNative = oneShot(scanPortCall, () => nativeTcp)
