/** Levenshtein distance between two words. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(
        above + 1,
        (row[j - 1] ?? 0) + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** The candidate closest to a mistyped word, when one is close enough to suggest. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const ranked = candidates
    .map((candidate) => ({ candidate, d: distance(word.toLowerCase(), candidate.toLowerCase()) }))
    .sort((x, y) => x.d - y.d);
  const best = ranked[0];
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.candidate : undefined;
}

/** An address's name (before its last @) and domain, lowercased. */
function addressParts(address: string): [name: string, domain: string] {
  const at = address.lastIndexOf("@");
  return [address.slice(0, at).toLowerCase(), address.slice(at + 1).toLowerCase()];
}

/**
 * The candidate address closest to a mistyped one: the same domain and a name near, or the same
 * name and a domain near; one edit in a part of up to three letters, else a third of its letters
 * (at least two). Each part is compared alone: whole, the domain an organization's addresses share
 * would make any two short names near (eve@example.com and bob@example.com).
 */
export function nearestAddress(address: string, candidates: readonly string[]): string | undefined {
  const [name, domain] = addressParts(address);
  const near = (typed: string, known: string) => {
    const d = distance(typed, known);
    return d <= (typed.length <= 3 ? 1 : Math.max(2, Math.floor(typed.length / 3))) ? d : undefined;
  };
  const ranked = candidates
    .flatMap((candidate) => {
      const [n, dm] = addressParts(candidate);
      const d = dm === domain ? near(name, n) : n === name ? near(domain, dm) : undefined;
      return d === undefined ? [] : [{ candidate, d }];
    })
    .sort((x, y) => x.d - y.d);
  return ranked[0]?.candidate;
}
