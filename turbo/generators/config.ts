// `pnpm turbo gen contestant`: scaffolds packages/impl-<name>, a new contestant that
// discovery picks up with no edit anywhere else. Its workload files are stubs that
// reject with "write <function> in src/<file>", which is what the conformance kit
// reports until they are filled in. Arguments given on the command line are checked
// before anything is written, and a missing one without a terminal to ask on is named
// in one sentence rather than left to the prompt library. See docs/adding-a-contestant.md.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { PlopTypes } from '@turbo/gen'

const files = [
  'package.json',
  'tsconfig.json',
  'vitest.config.ts',
  'README.md',
  'src/index.ts',
  'src/fetch.ts',
  'src/hash.ts',
  'src/scan-port.ts',
  'src/pipeline.ts',
  'src/worker.ts',
  'test/conformance.test.ts',
]

const USAGE = 'pnpm turbo gen contestant --args <id> "<one line on the style>"'

const idProblem = (id: string) =>
  /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(id)
    ? undefined
    : `Expected a kebab-case id like "worker-pool", got "${id}"`
const takenProblem = (root: string, id: string) =>
  existsSync(join(root, 'packages', `impl-${id}`))
    ? `packages/impl-${id} already exists; choose another id, or delete that folder first`
    : undefined
const descriptionProblem = (text: string) =>
  text.trim().length > 0
    ? undefined
    : 'Expected a one-line description of the style, got an empty one'

/**
 * The generator and the `--args` this process was started with, or undefined when it
 * is some other command. `turbo gen` starts `@turbo/gen raw run --json {…}`; the `gen`
 * binary itself takes `run [name] --args <args...>`.
 */
function invocation(
  argv: readonly string[],
): { generator: string | undefined; args: string[] } | undefined {
  const [, , command, subcommand] = argv
  if (command === 'raw' && subcommand === 'run') {
    try {
      const json = JSON.parse(argv[argv.indexOf('--json') + 1] ?? '') as {
        generator_name?: string | null
        args?: string[]
      }
      return { generator: json.generator_name ?? undefined, args: json.args ?? [] }
    } catch {
      return undefined
    }
  }
  if (command !== 'run' && command !== 'r') return undefined
  let generator: string | undefined
  const args: string[] = []
  for (let i = 3; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '-a' || arg === '--args') {
      while (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('-'))
        args.push(argv[++i] as string)
    } else if (arg === '-c' || arg === '--config' || arg === '-r' || arg === '--root') i++
    else if (!arg.startsWith('-')) generator ??= arg
  }
  return { generator, args }
}

/**
 * What is wrong with the arguments of this run, as one sentence, or undefined when the
 * generator can go ahead (every argument given and valid, or a terminal to ask on).
 */
function commandLineProblem(
  root: string,
  argv: readonly string[],
  interactive: boolean,
): string | undefined {
  const run = invocation(argv)
  if (!run || (run.generator !== undefined && run.generator !== 'contestant')) return undefined
  const [id, description, ...extra] = run.args
  if (extra.length > 0)
    return `Expected two arguments, the id and one line on the style, got ${run.args.length}; quote the line: ${USAGE}`
  if (id !== undefined) {
    const problem = idProblem(id) ?? takenProblem(root, id)
    if (problem) return problem
  }
  if (description !== undefined) {
    const problem = descriptionProblem(description)
    if (problem) return problem
  }
  if (interactive) return undefined
  if (run.generator === undefined)
    return `Without a terminal to choose a generator on, name it and pass its arguments: ${USAGE}`
  if (id === undefined)
    return `Without a terminal to ask on, pass the id and one line on the style: ${USAGE}`
  if (description === undefined)
    return `Without a terminal to ask on, pass one line on the style after the id: pnpm turbo gen contestant --args ${id} "<one line on the style>"`
  return undefined
}

export default function generator(plop: PlopTypes.NodePlopAPI): void {
  const root = plop.getDestBasePath()
  const problem = commandLineProblem(root, process.argv, process.stdin.isTTY === true)
  if (problem) {
    console.error(`gen contestant: ${problem}`)
    // `turbo gen` itself exits 0 whatever its generator does; `pnpm exec gen run …` passes this on.
    process.exit(1)
  }
  // Quoted for code: the description lands in string literals and JSON.
  plop.setHelper('json', (text: string) => JSON.stringify(text))
  // The templates are close to house style; the formatter makes them exact for any name.
  plop.setActionType('format', (answers) => {
    const dir = join(root, 'packages', `impl-${(answers as { name: string }).name}`)
    execFileSync(join(root, 'node_modules', '.bin', 'biome'), ['check', '--write', dir], {
      stdio: 'ignore',
    })
    return `formatted ${dir}`
  })
  plop.setGenerator('contestant', {
    description:
      'A new contestant: packages/impl-<name> with the house file layout and a conformance test',
    prompts: [
      {
        type: 'input',
        name: 'name',
        message: 'Contestant id (kebab-case, like "worker-pool"):',
        validate: (input: string) => idProblem(input) ?? takenProblem(root, input) ?? true,
      },
      {
        type: 'input',
        name: 'description',
        message:
          'One line on the style (how it bounds concurrency, times out, cancels, uses threads):',
        validate: (input: string) => descriptionProblem(input) ?? true,
      },
    ],
    actions: [
      ...files.map((file) => ({
        type: 'add',
        path: `packages/impl-{{name}}/${file}`,
        templateFile: `templates/contestant/${file}.hbs`,
        abortOnFail: true,
      })),
      { type: 'format' },
    ],
  })
}
