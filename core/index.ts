/** The domain core: schema, rules, workflow and IDs of the cooperation registry. Pure: no I/O, no Google, no Excel. */
export * from './dates.js';
export * from './enums.js';
export * from './errors.js';
export * from './ids.js';
export * from './messages.js';
export * from './registry.js';
export * from './rows.js';
export * from './rules.js';
export * from './schema.js';
export * from './settings.js';
export * from './validate.js';
export * from './workflow.js';
export * from './reports.js';
export * from './derive.js';
export * from './agreement.js';
export * from './agreement-text.js';
export * from './layout.js';
