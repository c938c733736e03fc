import type { Countdown } from '../domain/campaign.js';
import type { PersonErrorCode } from '../domain/errors.js';

/**
 * Every word of the form, the pages and the emails, in English. Other languages implement the
 * same shape (see `Text`), so a missing sentence is a type error, not a blank in a mail.
 */
export const en = {
  /** BCP 47 tag for Intl: dates and numbers as the reader expects them. */
  intlLocale: 'en-GB',
  languageName: 'English',
  /** "A, B and C", as this language joins a list. */
  listOf: (items: readonly string[]) => new Intl.ListFormat('en-GB', { type: 'conjunction' }).format(items),

  countdown: (c: Countdown) => (c.passed ? 'The deadline has passed' : c.daysLeft <= 0 ? 'Last day' : c.daysLeft === 1 ? '1 day left' : `${c.daysLeft} days left`),
  /** For the browser script, which recounts the days in the reader's own zone. */
  countdownWords: { one: '1 day left', many: '{n} days left', last: 'Last day' },
  deadlineSentence: (organisation: string, lastMoment: string, passed: boolean) =>
    passed
      ? `The deadline to object to ${organisation} using your data was ${lastMoment}.`
      : `You can object to ${organisation} using your data until ${lastMoment}.`,

  site: {
    skipToContent: 'Skip to content',
    privacyLink: 'Privacy: what we store and how to delete it',
    languageLabel: 'Language',
  },

  signup: {
    heading: (organisation: string) => `Object in time: ${organisation} wants to train its AI on your data`,
    headingSeveral: 'Object in time: keep your data out of AI training',
    intro:
      'Sign up and we email you a short guide for each platform you use, then a reminder before the deadline until you tell us you have objected. Nothing else, and no tracking.',
    deadlineLabel: 'Deadline:',
    errorTitle: (title: string) => `Error: ${title}`,
    errorSummary: 'Please check the form',
    email: 'Email address',
    platformsLegend: 'Which platforms do you use?',
    platformsLegendFor: (title: string) => `${title}: which platforms do you use?`,
    timezone: 'Your time zone',
    timezoneHint: 'Reminders arrive in the morning, your time. Example: Europe/Berlin.',
    locale: 'Language of the emails',
    honeypot: 'Leave this field empty',
    consent:
      'I agree that optout-countdown stores my email address, the platforms I picked, my time zone and language, to send me a confirmation, objection guides and deadline reminders for the campaigns I picked. I can unsubscribe or delete my data at any time with one click.',
    submit: 'Send me the guides',
    storedHint: 'We store only your email address, your picks, time zone, language and when you agreed.',
    privacyLink: 'Read the privacy page',
    checkInboxTitle: 'Check your inbox',
    checkInbox:
      'If the address can receive reminders, an email with a confirmation button is on its way. Press it and your guides follow at once.',
    checkInboxSeveral: 'One email confirms every campaign you picked; each then sends its own guide.',
    checkInboxHint: (days: number) =>
      `Nothing there after a few minutes? Look in the spam folder. The request is deleted after ${days} days if it is not confirmed.`,
    checkInboxJson: 'If the address can receive reminders, a confirmation email is on its way.',
    fieldLabels: {
      email: 'Email address',
      platforms: 'Platforms',
      timezone: 'Time zone',
      locale: 'Language',
      campaign: 'Campaign',
      consent: 'Consent',
      watch: 'New deadlines',
      website: 'Form',
    },
  },

  /** What is wrong with a field, by the code the domain gives. */
  fieldErrors: {
    email_missing: 'Enter your email address.',
    email_too_long: 'This email address is too long.',
    email_invalid: 'Enter an email address like name@example.org.',
    email_local_unsendable:
      'We cannot send email to an address whose part before the @ has letters outside A to Z yet. Please use another address; an accented domain after the @ is fine.',
    email_repeated: 'Enter one email address: the form sent more than one.',
    platforms_missing: 'Pick at least one platform.',
    platforms_unknown: 'Pick platforms from the list.',
    platforms_not_offered: 'Pick platforms that the campaign covers.',
    timezone_invalid: 'Pick a valid time zone, such as Europe/Berlin.',
    timezone_repeated: 'Pick one time zone: the form sent more than one.',
    locale_invalid: 'Pick a language from the list.',
    locale_repeated: 'Pick one language: the form sent more than one.',
    campaign_unknown: 'There is no such campaign.',
    consent_missing: 'Please tick the box to agree, so that we may send you the reminders.',
    consent_repeated: 'The form sent the box to agree more than once. Please tick it once and send the form again.',
    form_unreadable: 'The form could not be read. Please try again.',
  },

  /** What went wrong, by DomainError code; anything not listed shows the English message. */
  errors: {
    too_many_signups: 'Too many sign-ups from your network.',
    subscriber_gone: 'This link no longer works: the sign-up expired or was deleted.',
    platform_not_picked: 'This platform is no longer on your list.',
    not_confirmed: 'Confirm your subscription first, from the email we sent you.',
    confirm_raced: 'This sign-up changed meanwhile. Please reload the page.',
    token_invalid: 'This link is not valid. Please use the latest link from your email.',
    token_unknown: 'This link is not valid.',
    signup_raced: 'Too many changes to this sign-up at once. Please send the form again.',
    press_button: 'Nothing was changed: please press one of the buttons on the page.',
    objection_not_ticked: 'Nothing was changed: tick the box to say that you have objected, then press the button.',
    campaign_unknown: 'This link is not about one campaign.',
    body_unreadable: 'The form could not be read. Please send it again.',
    unsupported_media_type: 'This kind of request body cannot be read. Send a form or JSON.',
    already_confirmed: 'This is confirmed already.',
    illegal_transition: 'This cannot be done any more from where things stand. Please reload the page.',
    cross_site: 'This form was sent from another website, so nothing was changed. Open the page from your email or from our site, and press its button there.',
  } satisfies Record<PersonErrorCode, string>,

  pages: {
    errorTitle: 'This did not work',
    retryTitle: 'Please try again',
    /** After a refusal for too many attempts: the real wait, as Retry-After says it. */
    tryAgainIn: (seconds: number) =>
      seconds < 120 ? `Please try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.` : `Please try again in ${Math.ceil(seconds / 60)} minutes.`,
    notFoundTitle: 'Page not found',
    notFound: 'There is nothing at this address.',
    tooLargeTitle: 'Too much data',
    tooLarge: 'The form sent too much data. Please shorten what you typed.',
    internalTitle: 'Something went wrong',
    internal: 'Something went wrong on our side. Please try again.',
    toForm: 'Go to the sign-up form',

    confirmTitle: 'Confirm your sign-up',
    confirmIntro: (title: string) => `One click and we send your guides for ${title}, then reminders before the deadline.`,
    confirmWhat: 'Pressing the button confirms:',
    confirmWatch: 'an email when a new objection deadline opens for your platforms',
    confirmNothing: 'Everything of this sign-up is confirmed already.',
    confirmButton: 'Yes, send me the guides',
    confirmedTitle: 'You are in',
    confirmed: 'Thank you. Your guide is on its way: it has the steps for each platform you picked.',
    confirmedSeveral: (titles: string) => `Thank you. A guide is on its way for each campaign: ${titles}.`,
    alreadyConfirmedTitle: 'Already confirmed',
    alreadyConfirmed: 'This address was already confirmed. Your guide is in your inbox.',
    changePreferences: 'Change your platforms or time zone',

    objectionDoneTitle: (name: string) => `${name} is marked as done`,
    objectionAskTitle: (name: string) => `Mark ${name} as done?`,
    objectionNoMoreReminders: (name: string) => `We no longer remind you about ${name}.`,
    objectionAsk: (name: string) => `Press the button once you have objected on ${name}. We then stop reminding you about it.`,
    objectionTick: (name: string) => `I have sent the objection (or switched the setting off) on ${name}.`,
    objectionButton: (name: string) => `I've objected on ${name}`,
    undoButton: (name: string) => `Undo: ${name} is not done yet`,
    backOnListTitle: (name: string) => `${name} is back on your list`,
    backOnList: (name: string) => `We will remind you about ${name} again.`,
    allDoneTitle: 'Well done: all objections made',
    allDone: 'You have objected on every platform you picked. The reminders stop here.',
    stillToDo: (names: string) => `Still to do: ${names}. Your next reminder lists only these.`,
    seeAllPlatforms: 'See all your platforms',

    unsubscribeTitle: 'Unsubscribe?',
    unsubscribe: 'You will get no more emails from optout-countdown, and we delete your data.',
    unsubscribeButton: 'Unsubscribe from everything',
    leaveCampaignIntro: (title: string) => `Or stop only the emails about ${title}, and keep the others:`,
    leaveCampaignButton: (title: string) => `Stop only ${title}`,
    leftCampaignTitle: (title: string) => `No more emails about ${title}`,
    leftCampaign: 'Your other campaigns go on as before. You can change everything on your preferences page.',
    notSubscribedTitle: (title: string) => `Nothing to stop for ${title}`,
    notSubscribed: (title: string) =>
      `This link is from an email of an earlier sign-up, and what you signed up for since gets no emails about ${title}. Nothing was changed. To change what you get, use the links in the latest email from us, or unsubscribe from everything here.`,
    unsubscribedTitle: 'You are unsubscribed',
    unsubscribed:
      'No more emails will come. We deleted your address and choices, keeping only a scrambled fingerprint so that we never write to you again unless you sign up anew.',

    preferencesTitle: 'Your preferences',
    yourCampaigns: 'Your campaigns',
    campaignEnded: 'You left this campaign.',
    campaignPending: 'Waiting for your confirmation by email.',
    platformsYouUse: 'The platforms you use',
    watching: 'We write to you when a new objection deadline opens for these platforms.',
    markDone: (name: string) => `I've objected on ${name}`,
    erasedOn: (day: string) => `Unless a new campaign of yours starts, we erase your data on ${day}.`,
    keepWatchingTitle: 'Keep watching?',
    keepWatching: 'Press the button and we keep writing to you when a new objection deadline opens for your platforms; we ask again in a year.',
    keepWatchingButton: 'Yes, keep watching',
    keptWatchingTitle: 'We keep watching',
    keptWatching: (day: string) => `Thank you. We ask again around ${day}.`,
    saved: 'Saved.',
    until: (lastMoment: string) => `until ${lastMoment}`,
    platformsToRemind: 'Platforms to remind you about',
    toDo: '(to do)',
    done: '(done)',
    save: 'Save',
    yourData: 'Your data',
    download: 'Download everything we store about you (JSON)',
    deleteIntro: 'Delete me: stops every email of every campaign and erases your data now.',
    erasedTitle: 'Your data is deleted',
    erased:
      'No more emails will come, from any campaign. We deleted your address and choices, keeping only a scrambled fingerprint so that we never write to you again unless you sign up anew.',
    exportNote:
      'Besides this, we keep only daily counts that are not linked to you, and, for 30 days after an email to you could not be delivered for a while, how often that happened, under a scrambled fingerprint of your address.',
    deleteButton: 'Delete my data',
  },

  privacy: {
    title: 'Privacy',
    intro: 'optout-countdown exists to help you keep your data out of AI training, so it keeps as little of yours as it can.',
    whatHeading: 'What we store, and why',
    what: [
      'Your email address: to send the guide, the reminders and the occasional newsletter about the same campaign.',
      'The platforms you picked and which ones you marked as done: so each reminder lists only what is left.',
      'Your time zone and language: so reminders arrive in your morning, in your language.',
      'When you agreed and to which version of the consent text: the law asks us to be able to prove consent.',
      'Which emails went out to you (ids and dates, not their content): so that no email is sent to you twice.',
    ],
    howLongHeading: 'For how long',
    howLong: (pendingDays: number, graceDays: number) => [
      `An unconfirmed sign-up is deleted after ${pendingDays} days.`,
      `Once a campaign is over, we erase everything about its subscribers automatically, ${graceDays} days after its deadline (or after you confirmed, if you signed up later): long enough for the note after the deadline and any last newsletter.`,
      'When you unsubscribe or press "Delete my data", your data is erased at once. We keep only a keyed fingerprint (hash) of your address, the date and the reason, so that we never email you again unless you sign up anew.',
      'We keep counts per day (how many signed up, confirmed, objected, received an email, bounced): numbers only, with nothing that points to you.',
      'If you asked us to watch for new deadlines and nothing of yours is running, we ask you once a year whether to keep watching (one button); if you do not answer within 30 days, we erase your data.',
    ],
    erasedOn: (title: string, day: string) => `${title}: on ${day}, for everyone who confirmed before its deadline.`,
    neverHeading: 'What we never do',
    never:
      'No tracking pixels, no rewritten links, no advertising, no sharing. Newsletters are plain emails like the reminders: we do not know whether you opened them. Your IP address is used, scrambled, only to slow down abuse and is not kept.',
    rightsHeading: 'Your rights',
    rights:
      'Every email has a link to your preferences page: download everything we store as a file, change it, or delete it. Every email also has a one-click unsubscribe link, which erases your data at once.',
  },

  email: {
    confirm: {
      subject: (title: string) => `Confirm your reminders for ${title}`,
      subjectSeveral: (count: number) => `Confirm your reminders for ${count} campaigns`,
      preview: 'One click and the guides and reminders start.',
      heading: 'Please confirm your address',
      intro: (titles: string) =>
        `Someone, hopefully you, asked optout-countdown to send step-by-step guides and deadline reminders for ${titles} to this address. One button confirms all of it.`,
      button: 'Yes, send me the guides',
      ignore: (days: number) => `If it wasn't you, ignore this email: nothing more will arrive, and the request is deleted within ${days} days.`,
    },
    welcome: {
      subject: (countdown: string, organisation: string) => `${countdown}: your guide to object to ${organisation} AI training`,
      preview: (countdown: string) => `${countdown}. Here is how to object on each platform you picked.`,
      guidesIntro: 'Below is a guide for each platform you picked. When you have objected on one, press its button: we stop reminding you about it.',
    },
    reminder: {
      subject: (countdown: string, organisation: string) => `${countdown} to object to ${organisation} AI training`,
      preview: (platforms: string) => `Still to do: ${platforms}.`,
      stillToDo: 'Still to do:',
      hint: 'Each guide below takes a few minutes. When you are done with one, press its button and we stop reminding you about it.',
    },
    afterDeadline: {
      subject: (organisation: string) => `The ${organisation} deadline has passed: objecting still helps`,
      preview: 'Objecting now still protects what you post from now on.',
      heading: 'The deadline has passed',
      stillOpen: 'Still open on your list:',
      lastEmail: (title: string) => `The guides below still work. This is the last email we send you about ${title}.`,
    },
    keepWatching: {
      subject: 'Keep telling you about new objection deadlines?',
      preview: (day: string) => `One click keeps the watch; without it we erase your data on ${day}.`,
      heading: 'Shall we keep watching for you?',
      intro: (platforms: string) =>
        `A year ago you asked us to write when a new objection deadline opens for ${platforms}. Nothing of yours is running now, so we ask before keeping your address another year.`,
      button: 'Yes, keep watching',
      erase: (day: string) => `Not interested any more? Do nothing: on ${day} we erase your address and choices.`,
      why: 'You get this email because you asked optout-countdown to watch for new objection deadlines.',
    },
    announcement: {
      subject: (organisation: string, countdown: string) => `New deadline: object to ${organisation} AI training (${countdown})`,
      preview: (platforms: string) => `A new objection deadline for ${platforms}, which you use.`,
      heading: (organisation: string) => `${organisation} opened a new objection deadline`,
      why: (platforms: string) =>
        `You asked us to write when a new deadline opens for the platforms you use. This one concerns ${platforms}, so we added it to your reminders.`,
      guidesIntro: 'Here is how to object on each of your platforms. When you have, press its button and we stop reminding you about it.',
      notForMeIntro: 'Not for you?',
      notForMe: 'Leave this campaign (your other reminders go on)',
    },
    guide: {
      form: 'Objection form:',
      setting: 'The setting:',
      doneMeans: 'Done means:',
      objectedButton: (name: string) => `I've objected on ${name}`,
    },
    footer: {
      why: (title: string, confirmedOn: string) =>
        `You get this email because you signed up for reminders about ${title} and confirmed your address on ${confirmedOn}.`,
      preferences: 'Change your preferences or download your data',
      unsubscribe: 'Unsubscribe',
      privacy: 'Privacy',
    },
  },

  // Campaigns that come and go (issue 12): the form's platform groups, its cards of what applies
  // now, and the watch. Kept apart so the other entries stay as they were.
  campaignForm: {
    intro:
      'Tick the platforms you use. We email you a short guide for each, then a few reminders until you tell us you are done: before a deadline, or in the days after you sign up for a setting that has none. Nothing else, and no tracking.',
    groups: { meta: 'Meta apps', google: 'Google', microsoft: 'Microsoft', x: 'X' },
    noDeadlineOpen: 'No objection deadline is open right now, but each setting below can be switched off today.',
    noDeadlineOpenPastOnly: 'No objection deadline is open right now, but objecting late still protects what you share from then on.',
    forPlatforms: (names: string) => `For ${names}`,
    standing: 'Switch it off now',
    standingHint: 'No deadline: this setting can be switched off at any time and protects what you do from then on.',
    howTo: 'How, step by step',
    formLink: 'Open the objection form',
    settingLink: 'Open the setting',
    checkedOn: (day: string) => `Facts checked on ${day}.`,
    sources: 'Sources:',
    watch: 'Also write to me when a new objection deadline opens for these platforms.',
    watchHint:
      'Optional and separate: without it you still get the guides and reminders. At most a few emails a year; when nothing of yours is running, we ask once a year whether to keep watching, and erase your data if you do not answer within 30 days.',
    erasedAfterConfirm: (title: string, days: number) => `${title}: ${days} days after you confirm.`,
  },
  // --- Issue 14 (calendar, public count): added in one block ---
  calendar: {
    summary: (title: string) => `Last day to object: ${title}`,
    description: (title: string, lastMoment: string, link: string) =>
      `${title}: you can object until ${lastMoment}. Objecting takes a few minutes: ${link}`,
    alarm: (title: string) => `Tomorrow is the last day to object: ${title}`,
    addLink: 'Add the deadline to my calendar',
  },
  methodNotAllowed: {
    title: 'Not this way',
    message: 'This page exists, but not for this kind of request.',
  },
  publicCount: (count: string) => `${count} people have objected through optout-countdown`,
};

/** The shape every language implements. */
export type Text = typeof en;
