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
  campaign.platforms.forEach((platform, i) => {
    platform.steps.forEach((step, j) => words.push([`platforms[${i}].steps[${j}]`, step]));
    if (platform.note) words.push([`platforms[${i}].note`, platform.note]);
  });
  for (const [locale, text] of Object.entries(campaign.translations)) {
    if (!text) continue;
    words.push([`translations.${locale}.summary`, text.summary]);
    if (text.afterDeadline) words.push([`translations.${locale}.afterDeadline`, text.afterDeadline]);
    for (const [id, guide] of Object.entries(text.platforms)) {
      guide?.steps.forEach((step, j) => words.push([`translations.${locale}.platforms.${id}.steps[${j}]`, step]));
      if (guide?.note) words.push([`translations.${locale}.platforms.${id}.note`, guide.note]);
    }
  }
  return words;
}

/**
 * Why a campaign, as read from templates/campaigns/, must not ship: a field zod refuses; a
 * translation that leaves out a platform; a link (a formUrl, or any URL in the words) that is not
 * https or whose host is none of the campaign's sources' hosts, so every link a reader is sent to
 * has been looked at when the facts were checked. Empty when the campaign may ship.
 *
 * @example
 * campaignProblems({ ...meta, platforms: [{ ...facebook, formUrl: 'https://evil.example/' }] })
 * // [{ campaign: 'meta-ai-2025', field: 'platforms[0].formUrl', message: 'links to evil.example, …' }]
 */
export function campaignProblems(source: Record<string, unknown>): CampaignProblem[] {
  const id = typeof source.id === 'string' ? source.id : '(no id)';
  const problems: CampaignProblem[] = [];
  const parsed = Campaign.safeParse(source);
  // Named first, before zod's own refinement, so the operator reads which platform is missing.
  const platformIds = Array.isArray(source.platforms) ? source.platforms.map((p: { id?: unknown }) => p?.id).filter((p): p is string => typeof p === 'string') : [];
  const translations = typeof source.translations === 'object' && source.translations !== null ? (source.translations as Record<string, { platforms?: Record<string, unknown> }>) : {};
  for (const [locale, text] of Object.entries(translations)) {
    const missing = platformIds.filter((platform) => text?.platforms?.[platform] === undefined);
    if (missing.length) problems.push({ campaign: id, field: `translations.${locale}.platforms`, message: `misses the guide of ${missing.join(', ')}` });
  }
  const rawPlatforms: Array<{ formUrl?: unknown }> = Array.isArray(source.platforms) ? source.platforms : [];
  rawPlatforms.forEach((platform, i) => {
    if (typeof platform?.formUrl === 'string' && !platform.formUrl.startsWith('https://')) {
      problems.push({ campaign: id, field: `platforms[${i}].formUrl`, message: `links to ${platform.formUrl}, which is not https` });
    }
  });
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
  campaign.platforms.forEach((platform, i) => platform.formUrl && check(`platforms[${i}].formUrl`, platform.formUrl));
  for (const [field, text] of wordsOf(campaign)) for (const link of text.match(LINK) ?? []) check(field, link);
  return problems;
}
