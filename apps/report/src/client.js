// The page's only script: baseline choice, filters, sorting and the code's workload, all by keyboard too.
// It reads the ratios the build precomputed; it fetches nothing. Checked by tsc against the DOM
// (tsconfig.client.json), apart from the Node code.

/** @type {Record<string, Record<string, { text: string, tone: string, value: number }>>} */
const ratios = JSON.parse(document.getElementById('ratio-data')?.textContent ?? '{}')

/** @param {string} key the `impl/variant` to compare against */
function applyBaseline(key) {
  for (const cell of document.querySelectorAll('td[data-ratio]')) {
    if (!(cell instanceof HTMLElement)) continue
    const ratio = ratios[cell.dataset.ratio ?? '']?.[key]
    cell.textContent = ratio ? ratio.text : '–'
    cell.className = `num ratio tone-${ratio ? ratio.tone : 'none'}`
    cell.dataset.value = ratio ? String(ratio.value) : ''
  }
  for (const label of document.querySelectorAll('[data-baseline-label]')) label.textContent = key
}

const baseline = /** @type {HTMLSelectElement} */ (document.getElementById('baseline'))
baseline.addEventListener('change', () => applyBaseline(baseline.value))
applyBaseline(baseline.value)

function applyFilters() {
  /** @param {string} kind */
  const hidden = (kind) =>
    new Set(
      [...document.querySelectorAll(`input[data-filter="${kind}"]`)]
        .filter((box) => box instanceof HTMLInputElement && !box.checked)
        .map((box) => /** @type {HTMLInputElement} */ (box).value),
    )
  const impls = hidden('impl')
  const workloads = hidden('workload')
  const kinds = hidden('kind')
  for (const row of document.querySelectorAll('tr[data-impl]')) {
    if (!(row instanceof HTMLElement)) continue
    row.hidden = impls.has(row.dataset.impl ?? '') || kinds.has(row.dataset.kind ?? '')
  }
  for (const section of document.querySelectorAll('[data-workload]')) {
    if (!(section instanceof HTMLElement)) continue
    section.hidden = workloads.has(section.dataset.workload ?? '')
  }
}
for (const box of document.querySelectorAll('input[data-filter]'))
  box.addEventListener('change', applyFilters)

for (const button of document.querySelectorAll('th button[data-column]')) {
  if (!(button instanceof HTMLElement)) continue
  button.addEventListener('click', () => {
    const th = button.closest('th')
    const table = button.closest('table')
    const body = table?.tBodies[0]
    if (!th || !table || !body) return
    const column = Number(button.dataset.column)
    const ascending = th.getAttribute('aria-sort') !== 'ascending'
    for (const other of table.querySelectorAll('th')) other.removeAttribute('aria-sort')
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending')
    /** @param {HTMLTableRowElement} row */
    const key = (row) => {
      const cell = row.cells[column]
      const number = Number.parseFloat(cell?.dataset.value ?? '')
      return Number.isNaN(number) ? (cell?.textContent ?? '') : number
    }
    const rows = [...body.rows].sort((a, b) => {
      const [x, y] = [key(a), key(b)]
      const order =
        typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))
      return ascending ? order : -order
    })
    body.append(...rows)
  })
}

const codePicker = document.getElementById('code-workload')
if (codePicker instanceof HTMLSelectElement) {
  const showCode = () => {
    for (const set of document.querySelectorAll('[data-code-workload]'))
      if (set instanceof HTMLElement) set.hidden = set.dataset.codeWorkload !== codePicker.value
  }
  codePicker.addEventListener('change', showCode)
  showCode()
}
