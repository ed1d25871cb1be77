// Command-line options the benchmarks share.

/**
 * `--only TEXT` (repeatable): keep the workloads whose label contains one of the texts (any
 * case), to time a few rows without the whole run; without it, every workload.
 */
export function onlyFilter(argv: string[] = process.argv): (label: string) => boolean {
  const wanted = argv.flatMap((a, i) => (a === '--only' && i + 1 < argv.length ? [argv[i + 1].toLowerCase()] : []));
  return (label) => wanted.length === 0 || wanted.some((w) => label.toLowerCase().includes(w));
}
