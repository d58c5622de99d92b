// Faults provoked for real — a full disk, a read-only mount, an immutable file, Excel and LibreOffice holding the
// registry, outputs aimed at the registry, a rejects folder that does not exist — each with its Chinese message,
// exit code, an untouched registry (sha256) and nothing left behind.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnersSheet, projectsSheet, type RawCells } from '../../core/index.js';
import { SAMPLE_PARTNERS, SAMPLE_PROJECTS } from '../../sync/src/demo/sample-data.js';
import { fillFormSheet } from '../../sync/src/excel/form.js';
import { COOP, coop, tempDir } from '../helpers/cli.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const listing = (dir: string) => readdirSync(dir).sort();

/** An import with two good rows and one refused one (a bad credit code), so both the registry and a rejects workbook are written. */
async function mixedImport(path: string, form: string): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(form);
  const good = SAMPLE_PARTNERS[0] as unknown as RawCells;
  const bad = { ...(SAMPLE_PARTNERS[1] as unknown as RawCells), creditCode: '91441200MA51B7CD6X' };
  const project = SAMPLE_PROJECTS.find((p) => p.partnerName === good.name) as unknown as RawCells;
  fillFormSheet(workbook, partnersSheet, [good, bad]);
  fillFormSheet(workbook, projectsSheet, [project]);
  await workbook.xlsx.writeFile(path);
  return path;
}

function sh(cmd: string, args: string[]): { ok: boolean; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { ok: r.status === 0, err: `${r.stderr}${r.error?.message ?? ''}`.trim() };
}

/** Fills a file system to the last byte: big writes, then single bytes, until ENOSPC. */
function fillToBrim(path: string): void {
  const fd = openSync(path, 'w');
  try {
    for (const size of [1 << 16, 4096, 1]) {
      const chunk = Buffer.alloc(size, 0x61);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
}

let dir: string;
let form: string;
let input: string;

beforeAll(async () => {
  dir = tempDir('coop-io-faults-');
  form = join(dir, 'blank.xlsx');
  expect(coop(['form', '--out', form]).code).toBe(0);
  input = await mixedImport(join(dir, '申请表.xlsx'), form);
});

/** A fresh registry in `folder`, returned with its digest. */
function freshRegistry(folder: string, name = 'registry.xlsx'): { registry: string; digest: string } {
  mkdirSync(folder, { recursive: true });
  const registry = join(folder, name);
  const r = coop(['init', '--registry', registry]);
  expect(r.code, r.stderr).toBe(0);
  return { registry, digest: sha(registry) };
}

const tmpfsProbe = (() => {
  const probe = tempDir('coop-tmpfs-probe-');
  const r = sh('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]);
  if (r.ok) sh('umount', [probe]);
  return r.ok ? null : `cannot mount a tmpfs here (${r.err || 'not root?'}): the full-disk faults are not provoked`;
})();
if (tmpfsProbe) console.warn(`[skip] ${tmpfsProbe}`);

describe.skipIf(Boolean(tmpfsProbe))('a disk filled to the brim (2 MiB tmpfs)', () => {
  let full: string;
  let registry: string;
  let digest: string;
  let outside: { registry: string; digest: string };
  let filled: string[];

  beforeAll(() => {
    full = join(dir, 'full');
    mkdirSync(full);
    expect(sh('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', full]).ok).toBe(true);
    ({ registry, digest } = freshRegistry(full));
    outside = freshRegistry(join(dir, 'outside'));
    fillToBrim(join(full, 'filler'));
    // The registry and whatever coop keeps beside it (a backup, a log anchor), as they are before any fault.
    filled = listing(full);
  });
  afterAll(() => {
    sh('umount', [full]);
  });

  it('import into a registry on the full disk: 磁盘空间不足, exit 2, registry and rejects both as they were', () => {
    const rejects = join(dir, 'rejects-full.xlsx');
    const r = coop(['import', input, '--registry', registry, '--rejects', rejects], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`磁盘空间不足，无法写入 ${registry}`);
    expect(r.stderr).not.toContain('发生意外错误');
    expect(sha(registry)).toBe(digest);
    expect(listing(full)).toEqual(filled);
    // The rejects workbook was prepared first and is withdrawn with the registry's failure.
    expect(existsSync(rejects)).toBe(false);
    expect(listing(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('rejects workbook on the full disk: the import stops before the registry is written', () => {
    const before = listing(join(dir, 'outside'));
    const r = coop(['import', input, '--registry', outside.registry, '--rejects', join(full, '导入问题.xlsx')], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`磁盘空间不足，无法写入 ${join(full, '导入问题.xlsx')}`);
    expect(sha(outside.registry)).toBe(outside.digest);
    expect(listing(join(dir, 'outside'))).toEqual(before);
    expect(listing(full)).toEqual(filled);
  });

  it.each([
    ['export', ['export', '--out', 'ARCHIVE']],
    ['form', ['form', '--out', 'ARCHIVE']],
  ])('coop %s onto the full disk: message, exit 2, no stray file', (_name, args) => {
    const out = join(full, '输出.xlsx');
    const r = coop([...args.map((a) => (a === 'ARCHIVE' ? out : a)), '--registry', outside.registry], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`磁盘空间不足，无法写入 ${out}`);
    expect(listing(full)).toEqual(filled);
  });
});

const roProbe = (() => {
  const a = tempDir('coop-ro-probe-a-');
  const b = tempDir('coop-ro-probe-b-');
  const bind = sh('mount', ['--bind', a, b]);
  if (!bind.ok) return `cannot bind-mount here (${bind.err || 'not root?'}): the read-only faults are not provoked`;
  const ro = sh('mount', ['-o', 'remount,bind,ro', b]);
  sh('umount', [b]);
  return ro.ok ? null : `cannot remount read-only here (${ro.err}): the read-only faults are not provoked`;
})();
if (roProbe) console.warn(`[skip] ${roProbe}`);

describe.skipIf(Boolean(roProbe))('a read-only share (read-only bind mount)', () => {
  let view: string;
  let registry: string;
  let digest: string;
  let shared: string[];

  beforeAll(() => {
    const source = join(dir, 'share-source');
    freshRegistry(source);
    view = join(dir, 'share');
    mkdirSync(view);
    expect(sh('mount', ['--bind', source, view]).ok).toBe(true);
    expect(sh('mount', ['-o', 'remount,bind,ro', view]).ok).toBe(true);
    registry = join(view, 'registry.xlsx');
    digest = sha(registry);
    shared = listing(view);
  });
  afterAll(() => {
    sh('umount', [view]);
  });

  it('import refuses with 只读 and says what to do; nothing written anywhere', () => {
    const rejects = join(dir, 'rejects-ro.xlsx');
    const r = coop(['import', input, '--registry', registry, '--rejects', rejects], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${registry} 所在的磁盘或共享文件夹是只读的`);
    expect(r.stderr).toContain('复制到可写的文件夹');
    expect(sha(registry)).toBe(digest);
    expect(listing(view)).toEqual(shared);
    expect(existsSync(rejects)).toBe(false);
  });

  it('--dry-run, status, validate and export work on the read-only registry: they take no write lock', () => {
    const dry = coop(['import', input, '--registry', registry, '--dry-run'], { cwd: dir });
    expect(dry.stderr).not.toContain('只读');
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('新增 2');
    expect(dry.stdout).toContain('（试运行：未写入任何文件）');
    expect(coop(['status', '--registry', registry]).code).toBe(0);
    expect(coop(['validate', '--registry', registry]).code).toBe(0);
    const out = join(dir, 'archive-from-ro.xlsx');
    expect(coop(['export', '--registry', registry, '--out', out]).code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(sha(registry)).toBe(digest);
    expect(listing(view)).toEqual(shared);
  });
});

const chattrProbe = (() => {
  const probe = join(tempDir('coop-chattr-probe-'), 'f');
  writeFileSync(probe, 'x');
  const r = sh('chattr', ['+i', probe]);
  if (r.ok) sh('chattr', ['-i', probe]);
  return r.ok ? null : `chattr +i is not allowed here (${r.err}): the immutable-file fault is not provoked`;
})();
if (chattrProbe) console.warn(`[skip] ${chattrProbe}`);

describe.skipIf(Boolean(chattrProbe))('an immutable registry file (chattr +i)', () => {
  it('the temp file is written, the rename is refused: 没有权限, exit 2, temp removed', () => {
    const folder = join(dir, 'immutable');
    const { registry, digest } = freshRegistry(folder);
    const before = listing(folder);
    expect(sh('chattr', ['+i', registry]).ok).toBe(true);
    try {
      const r = coop(['import', input, '--registry', registry, '--rejects', join(dir, 'rejects-immutable.xlsx')], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`没有权限写入或读取 ${registry}`);
      expect(sha(registry)).toBe(digest);
      expect(listing(folder)).toEqual(before);
      expect(existsSync(join(dir, 'rejects-immutable.xlsx'))).toBe(false);
    } finally {
      sh('chattr', ['-i', registry]);
    }
  });
});

/** An Excel owner file as Excel writes it: name length, the name in the ANSI code page padded with spaces to byte 55, then its length and UTF-16LE copy, spaces to 165 bytes. */
function excelOwnerFile(user: string): Buffer {
  const bytes = Buffer.alloc(165);
  bytes[0] = user.length;
  bytes.write(user, 1, 'latin1');
  bytes.fill(0x20, 1 + user.length, 55);
  bytes.writeUInt16LE(user.length, 55);
  bytes.write(user, 57, 'utf16le');
  for (let i = 57 + user.length * 2; i < 165; i += 2) {
    bytes[i] = 0x20;
    if (i + 1 < 165) bytes[i + 1] = 0;
  }
  return bytes;
}

describe('the registry open in Excel, WPS or LibreOffice', () => {
  it.each([
    ['Excel/WPS', (registry: string) => join(registry, '..', '~$registry.xlsx'), () => excelOwnerFile('Wang Fang'), 'Wang Fang'],
    [
      'LibreOffice',
      (registry: string) => join(registry, '..', '.~lock.registry.xlsx#'),
      () => Buffer.from(',wangfang,office-pc,01.12.2026 09:30,file:///home/wangfang/.config/libreoffice/4;'),
      'wangfang@office-pc',
    ],
  ])('%s lock file: writes refused with 正在被…打开，请先关闭; reads still work; closing lets coop write', (program, lockPath, content, owner) => {
    const folder = join(dir, `open-in-${program.replace('/', '-')}`);
    const { registry, digest } = freshRegistry(folder);
    const lock = lockPath(registry);
    writeFileSync(lock, content());
    const before = listing(folder);
    const r = coop(['import', input, '--registry', registry, '--rejects', join(folder, '导入问题.xlsx')], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`登记表 ${registry} 正在被 ${owner} 用 ${program} 打开，请先关闭`);
    expect(r.stderr).toContain(`锁文件：${lock}`);
    expect(r.stderr).not.toContain('遗留');
    expect(sha(registry)).toBe(digest);
    expect(listing(folder)).toEqual(before);
    expect(coop(['status', '--registry', registry]).code).toBe(0);
    expect(coop(['import', input, '--registry', registry, '--dry-run'], { cwd: dir }).code).toBe(1);

    // Left by a crash two days ago: still refused, and the message says which file to delete and how.
    const old = new Date(Date.now() - 2 * 86_400_000);
    utimesSync(lock, old, old);
    const stale = coop(['import', input, '--registry', registry, '--rejects', join(folder, '导入问题.xlsx')], { cwd: dir });
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain('可能是程序异常退出后遗留的');
    expect(stale.stderr).toContain(`rm "${lock}"`);
    expect(sha(registry)).toBe(digest);

    writeFileSync(lock, '');
    spawnSync('rm', [lock]);
    const ok = coop(['import', input, '--registry', registry, '--rejects', join(folder, '导入问题.xlsx')], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(1);
    expect(sha(registry)).not.toBe(digest);
  });
});

describe('output paths that would destroy an input', () => {
  let folder: string;
  let registry: string;
  let digest: string;
  beforeAll(() => {
    folder = join(dir, 'outputs');
    ({ registry, digest } = freshRegistry(folder));
    mkdirSync(join(folder, 'sub'));
    symlinkSync(registry, join(folder, '链接.xlsx'));
  });

  it.each([
    ['export --out', () => ['export', '--registry', registry, '--out', registry], '--out', '登记表'],
    ['export --out (another spelling)', () => ['export', '--registry', registry, '--out', join(folder, 'sub', '..', 'registry.xlsx')], '--out', '登记表'],
    ['export --out (a symlink)', () => ['export', '--registry', registry, '--out', join(folder, '链接.xlsx')], '--out', '登记表'],
    ['export --out (the backup)', () => ['export', '--registry', registry, '--out', join(folder, 'registry.bak.xlsx')], '--out', '登记表的备份'],
    [
      'print --out (the chain anchor)',
      () => ['print', 'approval', 'HZ2026-001', '--registry', registry, '--out', join(folder, 'registry.chain.json')],
      '--out',
      '登记表的审批记录校验锚点',
    ],
    ['export --out (the state cache)', () => ['export', '--registry', registry, '--out', join(folder, 'registry.state.json')], '--out', '登记表的状态缓存'],
    ['form --out', () => ['form', '--registry', registry, '--out', registry], '--out', '登记表'],
    ['import --rejects', () => ['import', input, '--registry', registry, '--rejects', registry], '--rejects', '登记表'],
    ['import --rejects (an input)', () => ['import', input, '--registry', registry, '--rejects', input], '--rejects', '导入文件'],
  ])('%s is refused before any work, exit 2', (_name, args, flag, what) => {
    const before = listing(folder);
    const inputDigest = sha(input);
    const r = coop(args(), { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${flag} 指定的输出文件`);
    expect(r.stderr).toContain(`就是${what}`);
    expect(sha(registry)).toBe(digest);
    expect(sha(input)).toBe(inputDigest);
    expect(listing(folder)).toEqual(before);
  });

  it('an existing workbook of another kind (another registry, an archive, a rejects workbook) is not overwritten; the same kind is', () => {
    const kinds = join(dir, 'kinds');
    const other = freshRegistry(kinds, 'other.xlsx');
    const archive = join(kinds, '档案.xlsx');
    expect(coop(['export', '--registry', registry, '--out', archive]).code).toBe(0);
    expect(coop(['export', '--registry', registry, '--out', archive]).code).toBe(0);
    const scratch = freshRegistry(kinds, 'scratch.xlsx');
    const rejects = join(kinds, '问题.xlsx');
    expect(coop(['import', input, '--registry', scratch.registry, '--rejects', rejects], { cwd: dir }).code).toBe(1);
    const digests = () => [other.registry, archive, rejects].map(sha);
    const before = digests();
    for (const [args, message] of [
      [['export', '--registry', registry, '--out', other.registry], `--out 指定的输出文件 ${other.registry} 已存在，而且是一份登记表`],
      [['form', '--registry', registry, '--out', archive], `--out 指定的输出文件 ${archive} 已存在，而且是一份导出的档案工作簿`],
      [['import', input, '--registry', registry, '--rejects', archive], `--rejects 指定的输出文件 ${archive} 已存在，而且是一份导出的档案工作簿`],
      [['export', '--registry', registry, '--out', rejects], `--out 指定的输出文件 ${rejects} 已存在，而且是一份导入问题工作簿`],
    ] as const) {
      const r = coop([...args], { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(digests()).toEqual(before);
    expect(sha(registry)).toBe(digest);
  });

  it('a rejects path in a folder that does not exist: exit 2, registry and folder as they were', () => {
    const before = listing(folder);
    const rejects = join(folder, '没有这个文件夹', '导入问题.xlsx');
    const r = coop(['import', input, '--registry', registry, '--rejects', rejects], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`找不到 ${rejects} 所在的文件夹`);
    expect(r.stderr).not.toContain('发生意外错误');
    expect(sha(registry)).toBe(digest);
    expect(listing(folder)).toEqual(before);
  });

  it('an output that is a folder is refused with a file name to use', () => {
    const r = coop(['export', '--registry', registry, '--out', join(folder, 'sub')], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--out 指定的 ${join(folder, 'sub')} 是一个文件夹`);
  });
});

describe('inputs that are not what they seem', () => {
  let registry: string;
  let digest: string;
  let folder: string;
  beforeAll(() => {
    folder = join(dir, 'inputs');
    ({ registry, digest } = freshRegistry(folder));
  });
  const refused = (file: string, message: string) => {
    const before = listing(folder);
    const r = coop(['import', file, '--registry', registry], { cwd: folder });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('发生意外错误');
    expect(sha(registry)).toBe(digest);
    expect(listing(folder)).toEqual(before);
  };

  it('a folder', () => {
    const named = join(dir, '一个文件夹.xlsx');
    mkdirSync(named, { recursive: true });
    refused(named, `${named} 是一个文件夹，不是文件`);
  });

  it('a truncated .xlsx is told apart from a Word document', () => {
    const cut = join(dir, '中断的复制.xlsx');
    writeFileSync(cut, readFileSync(input).subarray(0, Math.floor(readFileSync(input).length / 2)));
    refused(cut, `文件 ${cut} 不完整`);
  });

  it('a sparse 3 GiB file starting with PK is refused by size, quickly, with no lock left', () => {
    const huge = join(dir, '巨大.xlsx');
    writeFileSync(huge, Buffer.from('PK\u0003\u0004'));
    truncateSync(huge, 3 * 2 ** 30);
    refused(huge, `文件 ${huge} 有 3072 MiB，超过单个导入文件的上限`);
  });

  it('more rows than the limit: refused with the limit, registry untouched', () => {
    const before = listing(folder);
    const r = coop(['import', input, '--registry', registry], { cwd: folder, env: { COOP_IMPORT_MAX_ROWS: '2' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('本次导入的数据超过 2 行的上限');
    expect(sha(registry)).toBe(digest);
    expect(listing(folder)).toEqual(before);
  });

  it('a file whose name is in GBK (not UTF-8) is found and imported', () => {
    const gbkFolder = join(dir, 'gbk');
    mkdirSync(gbkFolder, { recursive: true });
    // 申请表 in GBK, as a zip made on a Chinese Windows PC leaves it on a Linux disk.
    const name = Buffer.concat([Buffer.from([0xc9, 0xea, 0xc7, 0xeb, 0xb1, 0xed]), Buffer.from('.xlsx')]);
    copyFileSync(input, Buffer.concat([Buffer.from(`${gbkFolder}/`), name]));
    const { registry: gbkRegistry, digest: gbkDigest } = freshRegistry(join(dir, 'gbk-registry'));
    // The shell passes the raw bytes as the argument, as a terminal would.
    const r = spawnSync(
      '/bin/sh',
      [
        '-c',
        `"${process.execPath}" "${COOP}" import "$(printf '${gbkFolder}/\\311\\352\\307\\353\\261\\355.xlsx')" --registry "${gbkRegistry}" --rejects "${join(dir, 'gbk-rejects.xlsx')}"`,
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, COOP_NOW: '2026-11-24T02:00:00Z' },
      },
    );
    expect(r.stderr).not.toContain('找不到文件');
    expect(r.stdout).toContain('新增 2');
    expect(r.status).toBe(1);
    expect(sha(gbkRegistry)).not.toBe(gbkDigest);
    // The refused row is reported under the file's name read as GBK, and the stand-in link is gone.
    expect(r.stdout).toContain(`文件 ${gbkFolder}/申请表.xlsx · 工作表「合作单位」 · 第 4 行`);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('coop-input-'))).toEqual([]);
  });

  it('a registry that is a folder', () => {
    const named = join(dir, '登记表文件夹.xlsx');
    mkdirSync(named, { recursive: true });
    const r = coop(['status', '--registry', named]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${named} 是一个文件夹`);
  });

  it('coop import --help prints the limits', () => {
    const r = coop(['import', '--help']);
    expect(r.stdout).toContain('导入限制');
    expect(r.stdout).toMatch(/单个文件不超过 \d+ MiB；一次导入合计不超过 [\d,]+ 行/);
  });
});
