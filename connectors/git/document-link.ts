import type { RepositoryAddress } from './repository-address.js';

/** What a link to one file at one commit is made of. */
export interface LinkParts {
  /** The branch the file was indexed from. */
  branch: string;
  /** The commit the file was read at: a permanent link, even after the branch moves on. */
  commit: string;
  /** The file's path from the repository root. */
  path: string;
}

/**
 * The link a citation shows: the admin's web template filled in (`{repo}`, `{branch}`,
 * `{commit}`, `{path}`, each path segment URL-encoded), or `<repository>#<path>` when
 * there is no template.
 */
export function documentLink(template: string | undefined, address: RepositoryAddress, parts: LinkParts): string {
  if (template === undefined) return `${address.location}#${parts.path}`;
  const values: Record<string, string> = {
    repo: encodeSegments(address.repositoryPath),
    branch: encodeSegments(parts.branch),
    commit: parts.commit,
    path: encodeSegments(parts.path),
  };
  return template.replace(/\{(repo|branch|commit|path)\}/g, (_, name: string) => values[name]!);
}

function encodeSegments(value: string): string {
  return value.split('/').map(encodeURIComponent).join('/');
}
