import path from 'node:path';

/** Where a configured repository lives and how Git reaches it. */
export interface RepositoryAddress {
  /** `local`: read in place; the others are mirrored into the cache folder and fetched. */
  transport: 'local' | 'file' | 'http' | 'ssh' | 'git';
  /** What Git is given: the absolute path (local) or the URL exactly as configured. */
  location: string;
  /** The repository's path on its server without `.git` (`team/handbook`), for `{repo}` in web links. */
  repositoryPath: string;
  /** `scheme://host[:port]/` of an http(s) URL: the only place a token is ever sent. */
  httpOrigin?: string;
}

/**
 * Reads the `repository` setting, or says in one sentence why it cannot be used. Only
 * transports that fetch data are allowed: Git's `ext::` and `fd::` run commands or use
 * inherited descriptors, and a value starting with a dash could be read as an option.
 */
export function parseRepositoryAddress(value: string): RepositoryAddress | string {
  if (value.startsWith('-')) return 'a repository cannot start with "-"';
  if (path.isAbsolute(value) && !value.includes('://')) {
    const location = path.resolve(value);
    return { transport: 'local', location, repositoryPath: trimGitSuffix(path.basename(location)) };
  }
  const scpLike = /^([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+):(?!\/\/)(.+)$/.exec(value);
  if (scpLike) {
    return { transport: 'ssh', location: value, repositoryPath: trimGitSuffix(scpLike[3]!.replace(/^\/+/, '')) };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'a repository is an absolute path or a URL (https://, http://, ssh://, git://, file://, or user@host:path)';
  }
  const transport = transportOf(url.protocol);
  if (transport === undefined) return `the ${url.protocol}// scheme is not allowed; use https, http, ssh, git or file`;
  if (url.password !== '') {
    return 'a repository URL must not contain a password or token: name the environment variable that holds it in credentials.tokenVariable';
  }
  if (transport === 'file' && url.host !== '') return 'a file:// URL has no host: file:///absolute/path';
  const serverPath = decodeURIComponent(url.pathname).replace(/\/+$/, '');
  // A file:// repository has no server: like a local path, its name is its folder's.
  const repositoryPath = trimGitSuffix(transport === 'file' ? path.basename(serverPath) : serverPath.replace(/^\/+/, ''));
  const address: RepositoryAddress = { transport, location: value, repositoryPath };
  if (transport === 'http') address.httpOrigin = `${url.protocol}//${url.host}/`;
  return address;
}

function transportOf(protocol: string): RepositoryAddress['transport'] | undefined {
  switch (protocol) {
    case 'https:':
    case 'http:':
      return 'http';
    case 'ssh:':
    case 'git+ssh:':
    case 'ssh+git:':
      return 'ssh';
    case 'git:':
      return 'git';
    case 'file:':
      return 'file';
    default:
      return undefined;
  }
}

function trimGitSuffix(name: string): string {
  return name.endsWith('.git') ? name.slice(0, -'.git'.length) : name;
}
