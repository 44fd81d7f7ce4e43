/**
 * A child process of the process pool: core's process kernel, which digests
 * each buffer the parent sends over IPC and sends the hex digest back (see
 * `@arena/core/process-kernel`). Plain JavaScript, so a process's start-up
 * pays no TypeScript stripping.
 */
import { serveHashes } from '@arena/core/process-kernel'

serveHashes()
