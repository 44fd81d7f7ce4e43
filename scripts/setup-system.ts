/**
 * Installs the system tools Arena's tests and benchmarks use and npm cannot
 * provide: nmap (the independent scanner and the scan ceiling), iproute2's
 * `ss` (listener backlogs, for the scan's ground truth) and Chromium (the
 * report's browser tests). Runs before every test
 * and bench task. It installs with apt-get when it can (Debian, as root); when
 * it cannot, it says what is missing and the run goes on without it.
 */
import { execFileSync, spawnSync } from 'node:child_process'

const tools: ReadonlyArray<{
  command: string
  args: string[]
  debianPackage: string
  purpose: string
}> = [
  {
    command: 'nmap',
    args: ['--version'],
    debianPackage: 'nmap',
    purpose: 'the independent scanner and the scan ceiling',
  },
  {
    command: 'ss',
    args: ['-V'],
    debianPackage: 'iproute2',
    purpose: 'listener backlogs for the scan ground truth',
  },
  {
    command: 'chromium',
    args: ['--version'],
    debianPackage: 'chromium',
    purpose: 'the report’s browser tests (Playwright cannot download its own browser here)',
  },
]

const has = (command: string, args: string[]) =>
  spawnSync(command, args, { stdio: 'ignore' }).status === 0

const missing = tools.filter((tool) => !has(tool.command, tool.args))
if (missing.length === 0) {
  console.log(
    `system tools present: ${tools.map((t) => t.command).join(', ')}; node ${process.version}`,
  )
} else {
  const packages = missing.map((t) => t.debianPackage)
  const canInstall = process.getuid?.() === 0 && has('apt-get', ['--version'])
  if (canInstall) {
    console.log(`installing ${packages.join(', ')} with apt-get`)
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' })
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
  } else {
    for (const tool of missing) {
      console.warn(
        `${tool.command} is not installed (${tool.purpose}); install the Debian package ${tool.debianPackage} as root`,
      )
    }
  }
}
