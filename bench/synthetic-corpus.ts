import { seededRandom } from '../src/core/seeded-random.js';

/**
 * Reproducible synthetic company documents for benchmarks: varied enough that chunks are
 * not duplicates, realistic in length and structure (title, sections, paragraphs).
 */
const subjects = ['travel booking', 'expense approval', 'laptop refresh', 'VPN access', 'parental leave', 'office badge', 'code review', 'incident response', 'vendor onboarding', 'data retention', 'password reset', 'performance review', 'relocation support', 'conference budget', 'backup schedule', 'printer setup', 'customer escalation', 'safety training', 'open source use', 'remote work'];
const teams = ['Finance', 'IT Operations', 'People Team', 'Security', 'Facilities', 'Legal', 'Engineering', 'Customer Success', 'Procurement', 'Sales'];
const systems = ['the HR portal', 'ServiceDesk', 'the finance system', 'the intranet', 'the ticket queue', 'the approvals app', 'the asset register', 'the learning platform'];
const verbs = ['submit', 'approve', 'review', 'record', 'escalate', 'archive', 'request', 'confirm', 'update', 'schedule'];
const deadlines = ['within 5 working days', 'before the end of the month', 'within 30 days', 'by the first Monday of the quarter', 'within 48 hours', 'before travel starts'];

export interface SyntheticDocument {
  title: string;
  sections: { heading: string; paragraphs: string[] }[];
}

export function syntheticDocument(number: number, paragraphsPerSection = 2): SyntheticDocument {
  const random = seededRandom(number * 7919 + 17);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const subject = pick(subjects);
  const team = pick(teams);
  const sentence = (): string =>
    `${pick(['Employees', 'Managers', 'Contractors', 'New hires', 'Team leads'])} must ${pick(verbs)} ${subject} requests in ${pick(systems)} ${pick(deadlines)}; ${team} checks them ${pick(['weekly', 'daily', 'monthly', 'on request'])} and keeps record ${1000 + Math.floor(random() * 9000)}.`;
  const sections = ['Scope', 'Procedure', 'Exceptions'].map((heading) => ({
    heading,
    paragraphs: Array.from({ length: paragraphsPerSection }, () => Array.from({ length: 2 + Math.floor(random() * 2) }, sentence).join(' ')),
  }));
  return { title: `${team} guideline ${number}: ${subject}`, sections };
}

export function asMarkdown(document: SyntheticDocument): string {
  return [`# ${document.title}`, ...document.sections.flatMap((section) => [`## ${section.heading}`, ...section.paragraphs])].join('\n\n');
}

export function asPlainText(document: SyntheticDocument): string {
  return [document.title, ...document.sections.flatMap((section) => [section.heading, ...section.paragraphs])].join('\n\n');
}

export function asHtml(document: SyntheticDocument): string {
  const body = document.sections.map((section) => `<h2>${section.heading}</h2>${section.paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join('')}`).join('');
  return `<!doctype html><html><head><title>${document.title}</title></head><body><nav><a href="/">Home</a> | <a href="/policies">Policies</a></nav><main><h1>${document.title}</h1>${body}</main><footer>Intranet · internal use only</footer></body></html>`;
}
