import { Migration } from '@mikro-orm/migrations';

/**
 * Written by hand. Request context on audit events, the indexes of the audit page, and the
 * chain head that makes deleting the newest events detectable.
 */
export class Migration20261123130000_audit_request_context extends Migration {
  override name = 'Migration20261123130000_audit_request_context';

  override up(): void | Promise<void> {
    // Nullable: events written before keep null here, and so keep the hash they were written
    // with (the hash covers ip and user agent only when present). Adding a column fires no row
    // trigger, so the append-only trigger does not object.
    this.addSql(
      `alter table "audit_event" add "ip" varchar(64) null, add "user_agent" varchar(512) null;`,
    );
    this.addSql(`create index "audit_event_actor_seq_index" on "audit_event" ("actor_id", "seq");`);
    this.addSql(
      `create index "audit_event_subject_seq_index" on "audit_event" ("subject_type", "subject_id", "seq");`,
    );

    this.addSql(
      `create table "audit_chain_head" ("id" smallint not null, "seq" bigint not null, "hash" varchar(64) not null, primary key ("id"));`,
    );
    // The head starts where the existing chain ends.
    this.addSql(
      `insert into "audit_chain_head" ("id", "seq", "hash") select 1, "seq", "hash" from "audit_event" order by "seq" desc limit 1;`,
    );
    this.addSql(
      `create or replace function "audit_chain_head_audit_chain_head_forward_only_fn"() returns trigger as \$\$ begin if tg_op = 'DELETE' or new.seq <= old.seq then raise exception 'table % only moves forward: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end if; return new; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "audit_chain_head_forward_only" BEFORE UPDATE OR DELETE on "audit_chain_head" for each ROW execute function "audit_chain_head_audit_chain_head_forward_only_fn"();`,
    );
    // As for audit_event: the introspection does not see TRUNCATE triggers, so this one lives
    // only here.
    this.addSql(
      `create or replace function "audit_chain_head_no_truncate_fn"() returns trigger as \$\$ begin raise exception 'table % only moves forward: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "audit_chain_head_no_truncate" before truncate on "audit_chain_head" for each statement execute function "audit_chain_head_no_truncate_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "audit_chain_head_no_truncate" on "audit_chain_head";`);
    this.addSql(`drop function if exists "audit_chain_head_no_truncate_fn"();`);
    this.addSql(`drop trigger if exists "audit_chain_head_forward_only" on "audit_chain_head";`);
    this.addSql(`drop function if exists "audit_chain_head_audit_chain_head_forward_only_fn"();`);
    this.addSql(`drop table if exists "audit_chain_head" cascade;`);
    this.addSql(`drop index "audit_event_subject_seq_index";`);
    this.addSql(`drop index "audit_event_actor_seq_index";`);
    this.addSql(`alter table "audit_event" drop column "ip", drop column "user_agent";`);
  }
}
