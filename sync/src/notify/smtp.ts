/** Reminder e-mail from the CLI through the school's SMTP server (nodemailer); the password never reaches output. */
import nodemailer from 'nodemailer';
import { NOTIFY_TEXT } from '../../../core/index.js';
import type { SmtpSettings } from './secrets.js';

export interface MailSender {
  send(to: readonly string[], subject: string, text: string): Promise<string | null>;
  close(): void;
}

export function smtpSender(smtp: SmtpSettings, timeoutMs: number): MailSender {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    async send(to, subject, text) {
      try {
        await transport.sendMail({ from: { name: '合作交流登记系统', address: smtp.from }, to: [...to], subject, text });
        return null;
      } catch (error) {
        // nodemailer's messages can echo the server's reply but never the password.
        return NOTIFY_TEXT.errors.mail(to.join(', '), (error as Error).message);
      }
    },
    close: () => transport.close(),
  };
}
