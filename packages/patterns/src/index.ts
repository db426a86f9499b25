export { EXTRACTOR_VERSION, extractPattern } from './extract';
export { normalizeInstruction } from './normalize';
export { findReferenceWorkflow, parseReferenceWorkflow } from './parse';
export * from './types';
export { findVariables } from './variables';
