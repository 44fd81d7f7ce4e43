/**
 * A child process of the Effect process pool: core's process kernel, which
 * digests each buffer the parent sends over IPC and sends the hex digest back
 * (see `@arena/core/process-kernel`). Plain JavaScript importing neither
 * Effect nor TypeScript, so a process starts as fast as Node allows.
 */
import { serveHashes } from '@arena/core/process-kernel'

serveHashes()
