export { EXTRACTOR_VERSION, type ExtractOptions, extractPattern } from './extract';
export { MAX_INSTRUCTION_CHARS, normalizeInstruction } from './normalize';
export { findReferenceWorkflow, type ParsedWorkflow, parseReferenceWorkflow } from './parse';
export { countTokens } from './tokens';
export * from './types';
