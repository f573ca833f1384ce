/** Edit distance (insertions, deletions, substitutions) between two strings. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * The known names closest to `wanted`, best first: those within a third of its length in edit
 * distance, plus those that contain it or that it contains (`resnet` suggests `resnet18`, `resnet50`).
 */
export function closestNames(wanted: string, known: Iterable<string>, limit = 3): string[] {
  const query = wanted.toLowerCase();
  const threshold = Math.max(2, Math.ceil(query.length / 3));
  return [...known]
    .map((name) => {
      const candidate = name.toLowerCase();
      const distance = editDistance(query, candidate);
      const related = candidate.includes(query) || query.includes(candidate);
      return { name, score: related ? Math.min(distance, 1) : distance };
    })
    .filter(({ score }) => score <= threshold)
    .sort((x, y) => x.score - y.score || x.name.localeCompare(y.name))
    .slice(0, limit)
    .map(({ name }) => name);
}
