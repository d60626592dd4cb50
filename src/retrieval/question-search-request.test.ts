import { describe, expect, it } from 'vitest';
import type { Question } from '../core/answer-engine.js';
import { questionSearchRequest } from './question-search-request.js';

const asker = { id: 'slack:U1', principals: ['user:ann', 'group:hr'] };

describe('questionSearchRequest', () => {
  it("uses the asker's own access for a private answer, whatever audience is given", () => {
    const question: Question = { text: 'q', asker, conversation: { platform: 'slack', visibility: 'private' }, audience: 'public', sourceIds: ['hr'] };
    expect(questionSearchRequest(question, 'rewritten', 5)).toEqual({ query: 'rewritten', limit: 5, principals: ['user:ann', 'group:hr'], sourceIds: ['hr'] });
    expect(questionSearchRequest({ text: 'q', asker }, 'q', 5).principals).toEqual(asker.principals);
  });

  it("adds every member's principals for a shared answer in common mode", () => {
    const members = [['group:hr'], ['group:engineering']];
    const request = questionSearchRequest({ text: 'q', asker, conversation: { platform: 'slack', channelId: 'C1', visibility: 'shared' }, audience: { members } }, 'q', 5);
    expect(request).toMatchObject({ principals: asker.principals, audience: members });
  });

  it('uses only documents open to everyone for a public shared answer, and for a shared answer whose audience is unknown', () => {
    for (const audience of ['public', undefined] as const) {
      const question: Question = { text: 'q', asker, conversation: { platform: 'teams', visibility: 'shared' } };
      if (audience) question.audience = audience;
      const request = questionSearchRequest(question, 'q', 5);
      expect(request.principals).toEqual(['everyone']);
      expect(request.audience).toBeUndefined();
    }
  });
});
