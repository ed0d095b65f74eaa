import { Migration } from '@mikro-orm/migrations';

/** Written by hand (other entities were changing at the same time). Sealed attestation PDFs. */
export class Migration20261123132000_attestations extends Migration {
  override name = 'Migration20261123132000_attestations';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "attestation" ("id" uuid not null, "signature_id" uuid not null, "person_id" uuid not null, "kind" varchar(16) not null, "document_id" varchar(100) not null, "version" varchar(32) not null, "pdf" bytea not null, "sha256" varchar(64) not null, "size" int not null, "evidence" jsonb not null, "seal_fingerprint" varchar(64) not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "attestation" add constraint "attestation_signature_id_unique" unique ("signature_id");`,
    );
    this.addSql(`create index "attestation_person_id_index" on "attestation" ("person_id");`);
    this.addSql(
      `alter table "attestation" add constraint "attestation_sha256_unique" unique ("sha256");`,
    );
    this.addSql(`create index "attestation_created_at_index" on "attestation" ("created_at");`);
    this.addSql(
      `alter table "attestation" add constraint "attestation_signature_id_foreign" foreign key ("signature_id") references "signature" ("id");`,
    );
    this.addSql(
      `alter table "attestation" add constraint "attestation_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
    this.addSql(
      `create or replace function "attestation_attestation_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "attestation_append_only" BEFORE UPDATE OR DELETE on "attestation" for each ROW execute function "attestation_attestation_append_only_fn"();`,
    );
    // The schema introspection does not see TRUNCATE triggers.
    this.addSql(
      `create trigger "attestation_no_truncate" before truncate on "attestation" for each statement execute function "document_evidence_no_truncate_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "attestation_no_truncate" on "attestation";`);
    this.addSql(`drop trigger if exists "attestation_append_only" on "attestation";`);
    this.addSql(`drop function if exists "attestation_attestation_append_only_fn"();`);
    this.addSql(`drop table if exists "attestation" cascade;`);
  }
}
