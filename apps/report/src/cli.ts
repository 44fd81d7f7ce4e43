#!/usr/bin/env node
/**
 * `report [results.json …] [--compare other.json] [--out file.html]`: builds the
 * report, `results/latest.json` into `apps/report/dist/index.html` by default,
 * and prints the path. Two results files or more (several runtimes or
 * machines) make one merged report (build-merged.ts). A bad argument, a
 * missing file to compare with or an unusable results file stops the build
 * with one sentence and a non-zero exit, before anything is written.
 */
import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { buildReport, loadResults } from './build.ts'
import { buildMergedReport } from './build-merged.ts'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const USAGE = 'usage: report [results.json …] [--compare other.json] [--out file.html]'

async function main(): Promise<void> {
  let parsed: {
    values: { compare?: string | undefined; out?: string | undefined }
    positionals: string[]
  }
  try {
    parsed = parseArgs({
      options: { compare: { type: 'string' }, out: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    })
  } catch (error) {
    throw new Error(`${(error as Error).message.split('\n')[0]}; ${USAGE}`)
  }
  const here = process.env.INIT_CWD ?? process.cwd()
  if (parsed.positionals.length > 1) {
    if (parsed.values.compare !== undefined)
      throw new Error(
        `--compare sets one run against another, and ${parsed.positionals.length} results files make a merged report; give one of the two`,
      )
    const sources = parsed.positionals.map((p) => resolve(here, p))
    const twice = sources.find((s, i) => sources.indexOf(s) !== i)
    if (twice) throw new Error(`The results file ${twice} is given twice`)
    // Every file is read and validated before anything is drawn or written.
    const files = sources.map((source) => ({ source, results: loadResults(source) }))
    const out = resolve(here, parsed.values.out ?? resolve(root, 'apps/report/dist/index.html'))
    const bytes = await buildMergedReport(files, out)
    console.log(
      `report: ${out} (${(bytes / 1024).toFixed(0)} KiB, ${files.length} environments merged from ${sources.join(', ')})`,
    )
    return
  }
  const input = resolve(
    process.env.INIT_CWD ?? process.cwd(),
    parsed.positionals[0] ?? resolve(root, 'results/latest.json'),
  )
  const out = resolve(
    process.env.INIT_CWD ?? process.cwd(),
    parsed.values.out ?? resolve(root, 'apps/report/dist/index.html'),
  )
  const compare =
    parsed.values.compare === undefined
      ? undefined
      : resolve(process.env.INIT_CWD ?? process.cwd(), parsed.values.compare)
  // The file to compare with is the reader's own choice: name it, rather than advise a run.
  if (compare !== undefined && !existsSync(compare))
    throw new Error(`There is no results file to compare with at ${compare}`)
  if (compare !== undefined && !statSync(compare).isFile())
    throw new Error(`The file to compare with, ${compare}, is not a file`)
  const results = loadResults(input)
  const previous = compare === undefined ? undefined : loadResults(compare)
  const bytes = await buildReport(results, out, previous)
  console.log(`report: ${out} (${(bytes / 1024).toFixed(0)} KiB, from ${input})`)
}

main().catch((error: unknown) => {
  console.error(`report: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})
