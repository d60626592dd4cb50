import { everyone, type Asker } from '../../core/access.js';

/** The CLI asks as `everyone` unless told to act as specific principals (to check permissions). */
export function localPrincipals(principals?: string[]): string[] {
  return principals && principals.length > 0 ? principals : [everyone];
}

export function localAsker(principals?: string[]): Asker {
  return { id: `cli:${process.env.USER ?? 'local'}`, principals: localPrincipals(principals) };
}
