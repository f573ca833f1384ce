/** A count with thousands separators: `138357544` → `138,357,544`. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** A large quantity with an SI suffix and three significant digits: `15470264320` → `15.5G`. */
export function formatSi(value: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [scale, suffix] of units) {
    if (Math.abs(value) >= scale) return `${Number((value / scale).toPrecision(3))}${suffix}`;
  }
  return String(value);
}

/** Column of a {@link renderTable}. */
export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  /** Numbers read best right-aligned. */
  align?: 'left' | 'right';
  /** Long text (reasons, fixes) that may wrap onto more lines to keep the table within its width. */
  wrap?: boolean;
}

/** Splits `text` into lines of at most `width` characters at spaces (a longer word gets a line of its own). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}

/**
 * Renders rows as a plain-text table with a header and a dashed rule, columns padded to fit. With
 * `maxWidth`, wrapping columns share what the others leave, so no line is wider (down to 20
 * characters per wrapping column).
 */
export function renderTable<Row>(rows: Row[], columns: Column<Row>[], maxWidth = Number.POSITIVE_INFINITY): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const natural = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] as string).length)));
  const wrapping = columns.filter((c) => c.wrap).length;
  const fixed = natural.reduce((sum, w, i) => sum + (columns[i]?.wrap ? 0 : w), 0) + 2 * (columns.length - 1);
  const share = wrapping > 0 ? Math.max(20, Math.floor((maxWidth - fixed) / wrapping)) : Number.POSITIVE_INFINITY;
  const widths = natural.map((w, i) => (columns[i]?.wrap ? Math.min(w, share) : w));
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i]?.align === 'right' ? v.padStart(widths[i] as number) : v.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const body = cells.flatMap((row) => {
    const split = row.map((cell, i) => (columns[i]?.wrap ? wrapText(cell, widths[i] as number) : [cell]));
    const height = Math.max(...split.map((s) => s.length));
    return Array.from({ length: height }, (_, k) => line(split.map((s) => s[k] ?? '')));
  });
  return [line(columns.map((c) => c.header)), widths.map((w) => '-'.repeat(w)).join('  '), ...body].join('\n');
}
