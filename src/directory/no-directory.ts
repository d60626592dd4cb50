import type { Directory, ResolvedIdentity } from '../core/directory.js';

/** No directory configured: nobody's groups are known, so everybody reads only documents open to everyone. */
export class NoDirectory implements Directory {
  readonly kind = 'none';

  async resolve(): Promise<ResolvedIdentity> {
    return { found: false, principals: [] };
  }

  async close(): Promise<void> {}
}
