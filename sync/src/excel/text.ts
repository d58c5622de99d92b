/** Chinese text that workbooks show: validation errors, header notes. */
import type { ColumnSpec } from '../../../core/index.js';
import { RULE_TEXT } from '../../../core/index.js';

export const EXCEL_TEXT = {
  invalidTitle: '输入不符合要求',
  invalidMessage: (column: ColumnSpec): string => {
    switch (column.type) {
      case 'enum':
        return `「${column.header}」${RULE_TEXT.enum(column.enum ?? [])}`;
      case 'list':
        return `「${column.header}」请从下拉列表中选择（列表在「设置」中维护）`;
      case 'checkbox':
        return `「${column.header}」只能为 TRUE 或 FALSE`;
      case 'date':
        return `「${column.header}」${RULE_TEXT.date}`;
      case 'money':
        return `「${column.header}」${RULE_TEXT.money}`;
      case 'integer':
        return `「${column.header}」${RULE_TEXT.integer}`;
      case 'year':
        return `「${column.header}」${RULE_TEXT.year}`;
      default:
        return `「${column.header}」格式不正确`;
    }
  },
  systemColumn: '由系统填写，请勿手工修改',
} as const;
