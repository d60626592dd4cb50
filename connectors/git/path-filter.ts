import picomatch from 'picomatch';

/** Decides from a path alone whether a file is indexed. */
export type PathFilter = (path: string) => boolean;

/**
 * Include and exclude globs, matched case-insensitively (`README.MD` is Markdown too).
 * Names starting with a dot (`.github/`) match only patterns that name them: they hold
 * templates and tooling, not documentation.
 */
export function createPathFilter(include: readonly string[], exclude: readonly string[]): PathFilter {
  const options = { nocase: true, dot: false };
  const included = picomatch([...include], options);
  const excluded = exclude.length > 0 ? picomatch([...exclude], { ...options, dot: true }) : () => false;
  return (path) => included(path) && !excluded(path);
}
