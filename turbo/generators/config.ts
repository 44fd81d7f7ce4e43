// `pnpm turbo gen contestant`: scaffolds packages/impl-<name>, a new contestant that
// discovery picks up with no edit anywhere else. Its workload files are stubs that
// reject with "write <function> in src/<file>", which is what the conformance kit
// reports until they are filled in. See docs/adding-a-contestant.md.
import { execFileSync } from 'node:child_process'
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

export default function generator(plop: PlopTypes.NodePlopAPI): void {
  // Quoted for code: the description lands in string literals and JSON.
  plop.setHelper('json', (text: string) => JSON.stringify(text))
  // The templates are close to house style; the formatter makes them exact for any name.
  plop.setActionType('format', (answers) => {
    const root = plop.getDestBasePath()
    const dir = join(root, 'packages', `impl-${(answers as { name: string }).name}`)
    execFileSync(join(root, 'node_modules', '.bin', 'biome'), ['check', '--write', dir], { stdio: 'ignore' })
    return `formatted ${dir}`
  })
  plop.setGenerator('contestant', {
    description: 'A new contestant: packages/impl-<name> with the house file layout and a conformance test',
    prompts: [
      {
        type: 'input',
        name: 'name',
        message: 'Contestant id (kebab-case, like "worker-pool"):',
        validate: (input: string) =>
          /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(input) || `Expected a kebab-case id like "worker-pool", got "${input}"`,
      },
      {
        type: 'input',
        name: 'description',
        message: 'One line on the style (how it bounds concurrency, times out, cancels, uses threads):',
        validate: (input: string) => input.trim().length > 0 || 'Expected a one-line description of the style',
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
