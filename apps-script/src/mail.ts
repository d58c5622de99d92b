/** Outgoing mail within the MailApp daily quota: one message per recipient per day for reminders. */

export interface Mail {
  to: string[];
  subject: string;
  body: string;
}

/** Sends what the quota allows, in order; returns how many went out. */
export function sendMails(mails: readonly Mail[]): { sent: number; skipped: number } {
  let left = MailApp.getRemainingDailyQuota();
  let sent = 0;
  for (const mail of mails) {
    const to = [...new Set(mail.to.filter(Boolean))];
    if (!to.length) continue;
    // Each recipient counts against the quota.
    if (to.length > left) break;
    MailApp.sendEmail({ to: to.join(','), subject: mail.subject, body: mail.body, name: '合作交流登记系统' });
    left -= to.length;
    sent++;
  }
  return { sent, skipped: mails.length - sent };
}
