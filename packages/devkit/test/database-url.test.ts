import { describe, expect, it } from 'vitest'
import { databaseUrlFor, dropDatabase, parseDatabaseUrl, redactUrl } from '../src/index'

describe('databaseUrlFor', () => {
  it('swaps the database name on a local server and keeps everything else', () => {
    expect(databaseUrlFor('mysql://root@127.0.0.1:3306/yuyue', 'yuyue_test_a')).toBe(
      'mysql://root@127.0.0.1:3306/yuyue_test_a',
    )
    expect(
      databaseUrlFor(
        'mysql://app:s3cret@localhost:3307/yuyue?socketPath=/run/mysqld/mysqld.sock',
        'yuyue_bench',
      ),
    ).toBe('mysql://app:s3cret@localhost:3307/yuyue_bench?socketPath=/run/mysqld/mysqld.sock')
    expect(databaseUrlFor('mysql://root@[::1]:3306', 'yuyue_test_b')).toBe(
      'mysql://root@[::1]:3306/yuyue_test_b',
    )
  })

  it('refuses a remote server, so tests can never reach one', () => {
    expect(() => databaseUrlFor('mysql://root@db.example.com:3306/yuyue', 'yuyue_test_a')).toThrow(
      /refusing database host db\.example\.com/,
    )
    expect(() => databaseUrlFor('mysql://root@10.0.0.5/yuyue', 'yuyue_test_a')).toThrow(/10\.0\.0\.5/)
    expect(() => databaseUrlFor('mysql://root@127.0.0.1.example.com/yuyue', 'yuyue_test_a')).toThrow(
      /refusing/,
    )
  })

  it('refuses a name that would need quoting in SQL', () => {
    expect(() => databaseUrlFor('mysql://root@127.0.0.1/yuyue', 'yuyue_test`; DROP DATABASE yuyue')).toThrow(
      /letters, digits or underscores/,
    )
  })
})

describe('dropDatabase', () => {
  it('refuses anything but a yuyue_test* or yuyue_bench* database', async () => {
    await expect(dropDatabase('mysql://root@127.0.0.1:3306/yuyue')).rejects.toThrow(/refusing to drop yuyue:/)
    await expect(dropDatabase('mysql://root@127.0.0.1:3306/mysql')).rejects.toThrow(/refusing to drop mysql/)
  })

  it('refuses a remote server even for a test database', async () => {
    await expect(dropDatabase('mysql://root@db.example.com/yuyue_test_x')).rejects.toThrow(
      /remote host db\.example\.com/,
    )
  })
})

describe('parseDatabaseUrl and redactUrl', () => {
  it('reads credentials, database and socket path', () => {
    expect(parseDatabaseUrl('mysql://app:p%40ss@localhost/yuyue?socketPath=/run/mysqld/mysqld.sock')).toEqual(
      {
        host: 'localhost',
        port: 3306,
        user: 'app',
        password: 'p@ss',
        database: 'yuyue',
        socketPath: '/run/mysqld/mysqld.sock',
      },
    )
    expect(() => parseDatabaseUrl('postgres://root@127.0.0.1/yuyue')).toThrow(/mysql:\/\//)
  })

  it('hides the password in what is printed', () => {
    expect(redactUrl('mysql://app:s3cret@127.0.0.1:3306/yuyue')).toBe('mysql://app:***@127.0.0.1:3306/yuyue')
    expect(redactUrl('mysql://root@127.0.0.1:3306/yuyue')).toBe('mysql://root@127.0.0.1:3306/yuyue')
  })
})
