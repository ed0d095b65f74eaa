import { Migration } from '@mikro-orm/migrations';

const TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';

export class Migration20261206211659_identity_binding extends Migration {
  override name = 'Migration20261206211659_identity_binding';

  override up(): void | Promise<void> {
    this.addSql(`alter table "person" add "saml_issuer" varchar(512) null;`);
    // Bind everyone who has signed in to the issuer and NameID of their latest session. A
    // transient NameID names nobody, so only the issuer is kept. A NameID that two records hold
    // (an identity already moved between records) binds neither, and a sign-in with it is refused
    // (and audited) until an admin has sorted the records out, rather than guessing.
    this.addSql(
      `update "person" p set "saml_issuer" = s."idp_entity_id",
         "saml_name_id" = case when s."name_id_format" = '${TRANSIENT}' then null else p."saml_name_id" end
       from (select distinct on ("person_id") "person_id", "idp_entity_id", "name_id", "name_id_format"
               from "session" order by "person_id", "created_at" desc) s
       where s."person_id" = p."id" and p."saml_name_id" = s."name_id"
         and not exists (select 1 from "person" q where q."id" <> p."id" and q."saml_name_id" = p."saml_name_id");`,
    );
    this.addSql(
      `create unique index "person_saml_identity_unique" on "person" ("saml_issuer", "saml_name_id") where "saml_issuer" is not null and "saml_name_id" is not null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "person_saml_identity_unique";`);
    this.addSql(`alter table "person" drop column "saml_issuer";`);
  }
}
