import { Campaign } from './campaign.js';

/** Anything that looks like a link in a guide's words, http or https, up to a space or closing mark. */
const LINK = /\bhttps?:\/\/[^\s"'<>()]+/gi;

/** One reason the build refuses a campaign file, naming the campaign and the field. */
export interface CampaignProblem {
  campaign: string;
  field: string;
  message: string;
}

/** Every field of a campaign whose words a reader sees, with its path, in every language. */
function wordsOf(campaign: Campaign): Array<[string, string]> {
  const words: Array<[string, string]> = [
    ['summary', campaign.summary],
    ...(campaign.afterDeadline ? [['afterDeadline', campaign.afterDeadline] as [string, string]] : []),
  ];
  for (const [locale, text] of Object.entries(campaign.translations)) {
    if (!text) continue;
    words.push([`translations.${locale}.summary`, text.summary]);
    if (text.afterDeadline) words.push([`translations.${locale}.afterDeadline`, text.afterDeadline]);
  }
  return words;
}

/**
 * Why a campaign, as read from templates/campaigns/, must not ship: a field zod refuses (an unknown
 * platform, a missing language's sentence); a link in its words that is not https or whose host is
 * none of the campaign's sources' hosts, so every link a reader is sent to has been looked at when
 * the facts were checked. Empty when the campaign may ship. The guides are the platforms' own
 * (platform-check.ts).
 *
 * @example
 * campaignProblems({ ...meta, summary: 'See https://evil.example/' })
 * // [{ campaign: 'meta-ai-2025', field: 'summary', message: 'links to evil.example, …' }]
 */
export function campaignProblems(source: Record<string, unknown>): CampaignProblem[] {
  const id = typeof source.id === 'string' ? source.id : '(no id)';
  const problems: CampaignProblem[] = [];
  const parsed = Campaign.safeParse(source);
  if (!parsed.success) {
    const named = problems.map((p) => p.field);
    for (const issue of parsed.error.issues) {
      const field = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '') || '(campaign)';
      // zod says the same as a problem already named, in vaguer words.
      if (!named.some((known) => known.startsWith(field))) problems.push({ campaign: id, field, message: issue.message });
    }
    return problems;
  }
  const campaign = parsed.data;
  const hosts = new Set(campaign.sources.map((s) => new URL(s.url).hostname));
  const check = (field: string, link: string) => {
    let url: URL;
    try {
      url = new URL(link.replace(/[.,;:!?]+$/, ''));
    } catch {
      problems.push({ campaign: id, field, message: `has a link that is not a URL: ${link}` });
      return;
    }
    if (url.protocol !== 'https:') problems.push({ campaign: id, field, message: `links to ${url.href}, which is not https` });
    else if (!hosts.has(url.hostname)) problems.push({ campaign: id, field, message: `links to ${url.hostname}, which none of its sources is on (${[...hosts].join(', ')})` });
  };
  for (const [field, text] of wordsOf(campaign)) for (const link of text.match(LINK) ?? []) check(field, link);
  return problems;
}
