/**
 * The parts of class-validator agentwire uses, narrowly loaded (see src/protocol/validators.ts,
 * where they are declared so that the protocol's classes need nothing from the rest of src/).
 * Import validators from here or from src/protocol/validators, not from 'class-validator'.
 */
export * from '../protocol/validators';
