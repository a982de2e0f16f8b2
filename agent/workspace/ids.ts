// Ids for workspace documents: TODO items, experiment specs and findings share one alphabet
// (lowercase letters, digits, dashes: the spec id rule) so an item id can name its spec and finding.

/** The id alphabet of experiment specs (core/spec.ts), TODO items and findings. */
export const idPattern = /^[a-z0-9][a-z0-9-]*$/;

export function isValidId(value: string): boolean {
  return idPattern.test(value);
}

export type SlugifyOptions = {
  /** Longest slug; a longer one is cut at the last dash that keeps it within the limit. */
  maxLength?: number;
  /** Returned when the text has no letters or digits at all (e.g. only emoji). */
  fallback?: string;
};

/** "Try EGD at n=30!" -> "try-egd-at-n-30". Deterministic: the same text always gives the same slug. */
export function slugify(text: string, { maxLength = 48, fallback = 'item' }: SlugifyOptions = {}): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents split off by NFKD: "é" -> "e"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug === '') return fallback;
  if (slug.length <= maxLength) return slug;
  const cut = slug.slice(0, maxLength);
  if (slug[maxLength] === '-') return cut.replace(/-+$/, '');
  const lastDash = cut.lastIndexOf('-');
  // Cut at a word boundary unless that would leave almost nothing.
  return (lastDash >= maxLength / 2 ? cut.slice(0, lastDash) : cut).replace(/-+$/, '');
}

/** `base` if it is free, else `base-2`, `base-3`, ... Does not add the result to `taken`. */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let suffix = 2; ; suffix++) {
    const candidate = `${base}-${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
