/**
 * The ceilings as an implementation: the fastest code Node allows for each
 * workload, doing exactly the work contestants do, so the harness runs,
 * warms, times and verifies it exactly like a contestant — in a fresh child,
 * on the same world, under the same verifiers — and every "% of ceiling" is
 * against an answer known to be right. `default` is raw Node on all four
 * workloads; `nmap` is nmap -sT pinned to the point's timeout and
 * concurrency, for `scanPort` only. Not a contestant: it lives in the harness
 * and is never discovered as one.
 */
import { defineImplementation } from '@arena/core'
import { fetchPages } from './fetch.ts'
import { hashBuffers } from './hash.ts'
import { openCeiling } from './instance.ts'
import { nmapScan } from './nmap.ts'
import { pipelinePages } from './pipeline.ts'
import { scanPorts } from './scan-port.ts'

export { nmapArgs } from './nmap.ts'

/** The ceiling tools, as variants the harness runs like contestants' variants. */
export const implementation = defineImplementation({
  id: 'ceiling',
  title: 'Ceilings (raw Node, nmap)',
  style:
    'No concurrency model: the fastest code Node allows. fetch: `concurrency` lanes of undici `dispatch` calls whose handler CRCs each chunk, one abort listener and one deadline sweep per run. hash: raw worker threads, each fed one share of the buffers in transferred batches. scanPort: raw `net.connect` lanes with a cleared timer per probe. pipeline: the dispatch client handing each body to the least busy raw worker.',
  variants: [
    {
      id: 'default',
      title: 'raw Node',
      kind: 'tuned',
      description:
        'undici dispatch with a checksumming handler; raw worker threads fed their own shares; raw connect lanes; the two overlapped for the pipeline.',
      workloads: {
        fetch: (input, options) => fetchPages(input, options),
        hash: (input, options) => hashBuffers(input, options),
        scanPort: scanPorts,
        pipeline: (input, options) => pipelinePages(input, options),
      },
      open: openCeiling,
    },
    {
      id: 'nmap',
      title: 'nmap -sT',
      kind: 'tuned',
      description:
        'nmap -sT -Pn -n --max-retries 0, its round-trip timeout pinned to the timeout and its parallelism to the concurrency; rejects when nmap is not installed.',
      workloads: { scanPort: nmapScan },
    },
  ],
})
