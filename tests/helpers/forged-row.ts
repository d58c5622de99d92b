// The forged 审批记录 row of issue 11, typed by hand into the sheet or by openpyxl into the workbook: the final
// approval of HZ2026-001 by someone no one listed.
export const FORGED_APPROVAL = {
  时间: '2026-11-23 09:00:00',
  项目编号: 'HZ2026-001',
  部门或机构: '党委会',
  操作人: 'nobody@evil.example',
  操作: '会议通过',
  原状态: '待审议',
  新状态: '已批准',
};
