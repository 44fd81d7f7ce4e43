/**
 * The primitives benchmark's bare worker: it loads nothing and says so at
 * once, so its start is the floor under any worker's.
 */
import { parentPort } from 'node:worker_threads'

parentPort?.postMessage('ready')
