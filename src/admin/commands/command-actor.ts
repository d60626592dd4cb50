import type { AdminActor } from '../../audit/admin-action.js';
import { localAsker } from './local-asker.js';

/** Whoever runs a command on the server acts with the machine's own authority; recorded as `cli:<user>`. */
export function commandActor(): AdminActor {
  return { name: localAsker().id.replace(/^cli:/, ''), role: 'operator', via: 'cli' };
}
