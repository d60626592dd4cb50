/** What the site says about one response, beyond robots.txt: index it or not, follow its links or not. */
export interface RobotsDirectives {
  noIndex: boolean;
  noFollow: boolean;
}

/** Directives that take a value after a colon, which must not be read as a crawler's name. */
const directivesWithValues = new Set(['unavailable_after', 'max-snippet', 'max-image-preview', 'max-video-preview']);

/**
 * Reads an `X-Robots-Tag` header: the only way a PDF or Office file can say "noindex", and
 * an alternative to the `<meta name="robots">` of a page. Directives apply to every crawler,
 * or only to the one named before them (`otherbot: noindex, nofollow`), matched by the
 * product token of our User-Agent (`docentbot` for `DocentBot/0.1`), as robots.txt groups
 * are. `none` is `noindex, nofollow`.
 *
 * fetch joins repeated header lines with ", ", so a line for every crawler that follows a
 * line naming another one is read as that crawler's; sites rarely send both.
 */
export function robotsHeaderDirectives(value: string | null, userAgent: string): RobotsDirectives {
  const ours = userAgent.split('/')[0]!.trim().toLowerCase();
  const directives: RobotsDirectives = { noIndex: false, noFollow: false };
  let crawler: string | undefined;
  for (const part of (value ?? '').split(',')) {
    let directive = part.trim().toLowerCase();
    const named = /^([a-z0-9_.-]+)\s*:\s*(.*)$/.exec(directive);
    if (named && !directivesWithValues.has(named[1]!)) {
      crawler = named[1];
      directive = named[2]!.trim();
    }
    if (crawler !== undefined && crawler !== ours) continue;
    if (directive === 'noindex' || directive === 'none') directives.noIndex = true;
    if (directive === 'nofollow' || directive === 'none') directives.noFollow = true;
  }
  return directives;
}
