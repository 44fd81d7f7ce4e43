/**
 * The primitives benchmark's kernel worker: what a contestant's hash worker
 * loads before it says it is ready — core's sha256 kernel, plain JavaScript —
 * and nothing else.
 */
import { parentPort } from 'node:worker_threads'
import { sha256Hex } from '../../packages/core/src/kernel.js'

parentPort?.postMessage(typeof sha256Hex === 'function' ? 'ready' : 'no kernel')
