export * from './access.js';
export * from './answer.js';
export * from './answer-engine.js';
export * from './chunk.js';
export * from './document.js';
export * from './embedder.js';
export * from './errors.js';
export * from './search.js';
