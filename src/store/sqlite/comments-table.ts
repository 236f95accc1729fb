import type { Comment } from '../../core/index.ts';
import type { Connection } from './connection.ts';

interface CommentRow {
  id: number;
  object_id: string;
  author: string;
  text: string;
  time: number;
  source: Comment['source'];
  persistent: number;
}

function fromRow(r: CommentRow): Comment {
  return {
    id: r.id,
    objectId: r.object_id,
    author: r.author,
    text: r.text,
    time: r.time,
    source: r.source,
    persistent: r.persistent === 1,
  };
}

export class CommentsTable {
  readonly #conn: Connection;

  constructor(conn: Connection) {
    this.#conn = conn;
  }

  add(c: Omit<Comment, 'id'>): Comment {
    const r = this.#conn
      .statement(
        'INSERT INTO comments (object_id, author, text, time, source, persistent) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(c.objectId, c.author, c.text, c.time, c.source, c.persistent ? 1 : 0);
    return { ...c, id: Number(r.lastInsertRowid) };
  }

  /** Oldest first. */
  list(opts: { objectId?: string } = {}): Comment[] {
    const cols = 'id, object_id, author, text, time, source, persistent';
    const rows =
      opts.objectId === undefined
        ? this.#conn.statement(`SELECT ${cols} FROM comments ORDER BY time, id`).all()
        : this.#conn
            .statement(`SELECT ${cols} FROM comments WHERE object_id = ? ORDER BY time, id`)
            .all(opts.objectId);
    return (rows as unknown as CommentRow[]).map(fromRow);
  }

  delete(id: number): boolean {
    return this.#conn.statement('DELETE FROM comments WHERE id = ?').run(id).changes > 0;
  }
}
