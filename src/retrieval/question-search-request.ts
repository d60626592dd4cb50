import { everyone } from '../core/access.js';
import type { Question } from '../core/answer-engine.js';
import type { SearchRequest } from '../core/search.js';

/**
 * The retrieval request for a question, with the access its answer may use:
 *
 * - a private answer (direct message, ephemeral reply, web chat, CLI): the asker's own principals;
 * - a shared answer with `audience: { members }`: only chunks the asker and every member may read;
 * - a shared answer with `audience: 'public'`, or with no audience at all: only chunks
 *   open to everyone. Not knowing who reads a shared answer never widens it.
 */
export function questionSearchRequest(question: Question, query: string, limit: number): SearchRequest {
  const request: SearchRequest = { query, limit, principals: question.asker.principals };
  if (question.conversation?.visibility === 'shared') {
    const audience = question.audience ?? 'public';
    if (audience === 'public') request.principals = [everyone];
    else request.audience = audience.members;
  }
  if (question.sourceIds) request.sourceIds = question.sourceIds;
  return request;
}
