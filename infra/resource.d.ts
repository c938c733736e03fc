/**
 * The resources infra/ links to the functions, as `Resource` from the sst package sees them.
 * `sst deploy` generates the same into sst-env.d.ts, which a clean checkout lacks; keep this in
 * step with the `link` lists in infra/ (component name → the properties its link exposes).
 */
import 'sst';

declare module 'sst' {
  export interface Resource {
    AdminToken: { type: 'sst.sst.Secret'; value: string };
    Email: { type: 'sst.aws.Email'; sender: string; configSet: string };
    NewsletterSender: { type: 'sst.aws.Function'; name: string };
    SigningSecret: { type: 'sst.sst.Secret'; value: string };
    Table: { type: 'sst.aws.Dynamo'; name: string };
  }
}

export {};
