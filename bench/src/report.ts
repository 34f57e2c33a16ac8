import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** One measured figure beside its target; `pass` is null where nothing is judged (--quick, info). */
export interface Row {
  measured: string
  target: string
  pass: boolean | null
}

/** A correctness check: a failed one fails the run, in --quick and in full. */
export interface Check {
  what: string
  ok: boolean
  detail?: string
  /** what "correct" means, when the check is one of the issue's targets (e.g. "exactly 1") */
  target?: string
}

export interface ScenarioReport {
  id: string
  title: string
  rows: Row[]
  checks: Check[]
  /** everything measured, for the JSON file */
  figures: Record<string, unknown>
  seconds: number
  /** set when the scenario threw */
  error?: string
}

export const fmt = {
  rps: (value: number) => `${Math.round(value).toLocaleString('en-US')} req/s`,
  ms: (value: number) => (value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`),
  ratio: (value: number) => `${value.toFixed(2)}×`,
  count: (value: number) => value.toLocaleString('en-US'),
  mb: (value: number) => `${value.toFixed(1)} MB`,
  pct: (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)} %`,
  /** CPU milliseconds per request by process: `server 0.41 + sandbox 0.08 + …` */
  cpu: (cpu: Record<string, number>) =>
    Object.entries(cpu)
      .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
      .join(' + '),
}

function verdictOf(row: Row): string {
  if (row.pass === null) return row.target ? '—' : ''
  return row.pass ? 'PASS' : 'MISS'
}

/** Terminal columns of a text: CJK characters take two. */
function columns(text: string): number {
  return [...text].reduce((sum, c) => sum + (/[\u3000-\u9fff\uff00-\uffef]/.test(c) ? 2 : 1), 0)
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - columns(text)))
}

/** The table printed at the end: one line per figure, then the correctness checks of each scenario. */
export function renderTable(reports: ScenarioReport[]): string {
  const lines: string[][] = [['scenario', 'measured', 'target', 'result']]
  for (const report of reports) {
    let first = true
    const title = () => {
      const text = first ? report.title : ''
      first = false
      return text
    }
    if (report.error) lines.push([title(), `ERROR: ${report.error}`, '', 'FAIL'])
    for (const row of report.rows) lines.push([title(), row.measured, row.target, verdictOf(row)])
    for (const check of report.checks) {
      const what = `${check.what}${check.detail ? ` (${check.detail})` : ''}`
      lines.push([title(), what, check.target ?? 'correct', check.ok ? 'ok' : 'FAIL'])
    }
  }
  const widths = [0, 1, 2].map((column) => Math.max(...lines.map((line) => columns(line[column]!))))
  const rule = widths.map((w) => '-'.repeat(w)).concat('------')
  return [lines[0]!, rule, ...lines.slice(1)]
    .map((line) =>
      line
        .map((cell, i) => (i < 3 ? pad(cell, widths[i]!) : cell))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

/** The same table as Markdown, for bench/README.md. */
export function renderMarkdown(reports: ScenarioReport[]): string {
  const lines = ['| scenario | measured | target | result |', '|---|---|---|---|']
  const cell = (text: string) => text.replaceAll('|', '\\|')
  for (const report of reports) {
    let title = report.title
    const next = () => {
      const text = title
      title = ''
      return text
    }
    if (report.error) lines.push(`| ${cell(next())} | ERROR: ${cell(report.error)} | | FAIL |`)
    for (const row of report.rows) {
      lines.push(`| ${cell(next())} | ${cell(row.measured)} | ${cell(row.target)} | ${verdictOf(row)} |`)
    }
    for (const check of report.checks) {
      const what = `${check.what}${check.detail ? ` (${check.detail})` : ''}`
      const target = check.target ?? 'correct'
      lines.push(`| ${cell(next())} | ${cell(what)} | ${cell(target)} | ${check.ok ? 'ok' : 'FAIL'} |`)
    }
  }
  return lines.join('\n')
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results')

/** Writes bench/results/<timestamp>.json and answers its path. */
export function writeResults(content: unknown, startedAt: Date): string {
  mkdirSync(resultsDir, { recursive: true })
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-')
  const path = join(resultsDir, `${stamp}.json`)
  writeFileSync(path, `${JSON.stringify(content, null, 2)}\n`)
  return path
}
