// 合作交流 ▸ 续签项目: the office renews the selected agreement from the sheet, as `coop renew` does from the CLI.
import { describe, expect, it } from 'vitest';
import { OFFICE, STAFF, plantLog, plantRecord, registry } from './fixture.js';

describe('menu 续签项目', () => {
  it('appends a draft linked by 前序项目, copying partner, category, content and leader; once only; office only', () => {
    const h = registry();
    plantRecord(h, '合作项目', 2, {
      项目编号: 'HZ2024-003',
      项目名称: '汽修实训基地',
      承办系部: '汽车运用与维修专业',
      合作单位编号: 'P0001',
      合作类别: '实践教学基地',
      合作内容及双方权责: '共建校外实训基地',
      开始日期: '2024-03-01',
      结束日期: '2026-12-31',
      成果权属: '双方共有',
      项目负责人: '陈老师',
      具备实践教学场所: '是',
      具备合格指导教师: '是',
      状态: '已生效',
    });
    // In force as 审批记录 records it: only the verified log makes a project one that may be renewed.
    plantLog(h, [
      {
        time: '2024-02-20 10:00:00',
        projectId: 'HZ2024-003',
        body: '合作交流处',
        actor: OFFICE,
        action: '签署',
        fromStatus: '已批准',
        toStatus: '已生效',
        remark: '协议编号 ZQLG-HZ-2024-003，签署日期 2024-02-20',
      },
    ]);
    h.as(STAFF);
    h.select('合作项目', 2);
    expect(h.click('续签项目').join('\n')).toContain('不是合作交流处工作人员');
    h.as(OFFICE);
    h.select('合作项目', 2);
    // 2024-03-01…2026-12-31 is 34 whole months: the renewal runs 34 months from 2027-01-01.
    expect(h.click('续签项目').join('\n')).toContain('已为 HZ2024-003 创建续签项目 HZ2026-001（草稿），建议期限 2027-01-01 至 2029-10-31，前序项目 HZ2024-003');
    const renewal = h.records('合作项目').find((r) => r['项目编号'] === 'HZ2026-001')!;
    expect(renewal).toMatchObject({
      项目名称: '汽修实训基地（续签）',
      前序项目: 'HZ2024-003',
      状态: '草稿',
      合作单位编号: 'P0001',
      合作类别: '实践教学基地',
      合作内容及双方权责: '共建校外实训基地',
      项目负责人: '陈老师',
      承办系部: '汽车运用与维修专业',
    });
    h.select('合作项目', 2);
    expect(h.click('续签项目').join('\n')).toContain('已续签为 HZ2026-001');
    expect(h.records('合作项目').filter((r) => r['前序项目'] === 'HZ2024-003')).toHaveLength(1);
  });
});
