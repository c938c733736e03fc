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
    deadlineLabel: 'Deadline:',
    errorTitle: (title: string) => `Error: ${title}`,
    errorSummary: 'Please check the form',
    email: 'Email address',
    platformsLegend: 'Which platforms do you use?',
    timezone: 'Your time zone',
    timezoneHint: 'Reminders arrive in the morning, your time. Example: Europe/Berlin.',
    locale: 'Language of the emails',
    honeypot: 'Leave this field empty',
    consent:
      'I agree that optout-countdown stores my email address, the platforms I picked, my time zone and language, to send me a confirmation, a guide for each platform and reminders until each is done. I can unsubscribe or delete my data at any time with one click.',
    submit: 'Send me the guides',
    storedHint: 'We store only your email address, your picks, time zone, language and when you agreed.',
    privacyLink: 'Read the privacy page',
    checkInboxTitle: 'Check your inbox',
    checkInboxTo: 'We are writing to:',
    checkInbox:
      'If this address can receive our emails, a message with one confirmation button is on its way. Press it, and the guides for your platforms follow at once, in one email.',
    didYouMean: (address: string) => `Did you mean ${address}?`,
    wrongAddress: 'A typo in the address?',
    backToForm: 'Back to the form',
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

    /** One person's list in a sentence: "Facebook done; X and LinkedIn left." */
    doneAndLeft: (done: string, left: string) => `${done} done; ${left} left.`,
    doneSoFar: (done: string) => `${done} done.`,
    noneDoneYet: (left: string) => `Left to do: ${left}.`,
    allDone: (done: string) => `All done: ${done}. Nothing is left on your list, so the reminders stop.`,
    pendingToo: (names: string) => `Waiting for your confirmation by email: ${names}.`,
    watchingToo: 'We still write to you when a new objection deadline opens for a platform on your list.',
    yourList: 'Your list and preferences',

    confirmTitle: 'Confirm your sign-up',
    confirmWhat: 'Pressing the button puts these platforms on your list, and their guides come by email:',
    confirmWatchToo: 'It also says yes to an email when a new objection deadline opens for a platform on your list.',
    confirmWatchOnly: 'Pressing the button says yes to an email when a new objection deadline opens for a platform on your list.',
    confirmButton: 'Yes, send me the guides',
    confirmWatchButton: 'Yes, tell me about new deadlines',
    confirmedTitle: 'You are in',
    confirmed: (names: string) => `Confirmed: ${names}. The guides for them are on their way, in one email.`,
    confirmedWatch: 'We will also write to you when a new objection deadline opens for a platform on your list.',
    alreadyConfirmedTitle: 'Already confirmed',
    alreadyConfirmed: 'Everything this link confirms was confirmed already. Your guides are in your inbox.',

    objectionAskTitle: (name: string) => `Mark ${name} as done?`,
    objectionAsk: (name: string) => `Press the button once you have done it on ${name}. We then stop reminding you about it.`,
    objectionOutdated: (name: string) => `A new deadline needs a new objection on ${name}, even if you objected before.`,
    objectionTick: (name: string) => `I have sent the objection (or switched the setting off) on ${name}.`,
    limitTick: (name: string) => `I have done what the guide says on ${name}.`,
    objectionButton: (name: string) => `I've objected on ${name}`,
    limitButton: (name: string) => `Done on ${name}`,
    objectionDoneTitle: (name: string) => `${name} is marked as done`,
    objectionDoneOn: (name: string, day: string) => `You marked ${name} as done on ${day}.`,
    undoButton: (name: string) => `Undo: ${name} is not done yet`,
    backOnListTitle: (name: string) => `${name} is back on your list`,
    backOnList: (name: string) => `We will remind you about ${name} again.`,
    allDoneTitle: 'Well done: nothing is left',

    unsubscribeTitle: 'Unsubscribe?',
    unsubscribe: 'You will get no more emails from optout-countdown, and we delete your data.',
    unsubscribeButton: 'Unsubscribe from everything',
    leaveCampaignIntro: (title: string, names: string) => `Or stop only what the email about ${title} was for: ${names} leave your list, and the rest goes on.`,
    leaveCampaignButton: (title: string) => `Stop only ${title}`,
    leftCampaignTitle: (title: string) => `No more emails about ${title}`,
    leftCampaign: (names: string) => `${names} left your list. The rest of your list goes on as before; you can change everything on your preferences page.`,
    notSubscribedTitle: (title: string) => `Nothing to stop for ${title}`,
    notSubscribed: (title: string) =>
      `This link is from an email of an earlier sign-up, and none of the platforms of ${title} is on your list now. Nothing was changed. To change what you get, use the links in the latest email from us, or unsubscribe from everything here.`,
    unsubscribedTitle: 'You are unsubscribed',
    unsubscribed:
      'No more emails will come. We deleted your address and choices, keeping only a scrambled fingerprint so that we never write to you again unless you sign up anew.',

    preferencesTitle: 'Your preferences',
    yourPlatforms: 'Your list',
    otherPlatforms: 'Other platforms we have a guide for',
    otherPlatformsHint: 'Adding one puts it on your list at once and sends its guide by email.',
    statusDone: (day: string) => `Done on ${day}`,
    statusLeft: 'Still to do',
    statusPending: 'Waiting for your confirmation by email',
    statusNotListed: 'Not on your list',
    markDone: (name: string) => `I've objected on ${name}`,
    addButton: (name: string) => `Add ${name}`,
    addNowButton: (name: string) => `Add ${name} now`,
    dropButton: (name: string) => `Drop ${name}`,
    added: (names: string) => `Added: ${names}. The guide is on its way by email.`,
    dropped: (names: string) => `Dropped: ${names}. We no longer remind you about it.`,
    zoneAndLanguage: 'Time zone and language',
    save: 'Save',
    saved: 'Saved.',
    watchHeading: 'New deadlines',
    watching: 'We write to you when a new objection deadline opens for a platform on your list.',
    notWatching: 'We do not write to you about new deadlines.',
    watchStop: 'Stop telling me about new deadlines',
    watchStart: 'Tell me when a new deadline opens',
    watchStarted: 'From now on we write to you when a new objection deadline opens for a platform on your list.',
    watchStopped: 'We no longer write to you about new deadlines. Your reminders go on.',
    keepWatchingTitle: 'Keep watching?',
    keepWatching: 'Press the button and we keep writing to you when a new objection deadline opens for your platforms; we ask again in a year.',
    keepWatchingButton: 'Yes, keep watching',
    keptWatchingTitle: 'We keep watching',
    keptWatching: (day: string) => `Thank you. We ask again around ${day}.`,
    yourData: 'Your data',
    erasedOn: (day: string) => `Unless you add a platform or a new deadline opens for one of yours, we erase your data on ${day}.`,
    download: 'Download everything we store about you (JSON)',
    deleteIntro: 'Delete me: stops every email and erases your data now.',
    deleteButton: 'Delete my data',
    erasedTitle: 'Your data is deleted',
    erased:
      'No more emails will come. We deleted your address and choices, keeping only a scrambled fingerprint so that we never write to you again unless you sign up anew.',
    exportNote:
      'Besides this, we keep only daily counts that are not linked to you, and, for 30 days after an email to you could not be delivered for a while, how often that happened, under a scrambled fingerprint of your address.',
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
      `Once nothing on your list can bring another reminder (the morning after a deadline, or a few days after you add a platform that has none), we erase everything about you automatically ${graceDays} days later: long enough for any last newsletter. Your preferences page shows the day.`,
      'When you unsubscribe or press "Delete my data", your data is erased at once. We keep only a keyed fingerprint (hash) of your address, the date and the reason, so that we never email you again unless you sign up anew.',
      'We keep counts per day (how many signed up, confirmed, objected, received an email, bounced): numbers only, with nothing that points to you.',
      'If you asked us to watch for new deadlines and nothing of yours is running, we ask you once a year whether to keep watching (one button); if you do not answer within 30 days, we erase your data.',
    ],
    neverHeading: 'What we never do',
    never:
      'No tracking pixels, no rewritten links, no advertising, no sharing. Newsletters are plain emails like the reminders: we do not know whether you opened them. Your IP address is used, scrambled, only to slow down abuse and is not kept.',
    rightsHeading: 'Your rights',
    rights:
      'Every email has a link to your preferences page: download everything we store as a file, change it, or delete it. Every email also has a one-click unsubscribe link, which erases your data at once.',
  },

  email: {
    /** "Facebook, X and ChatGPT", or "Facebook, X and 3 more" where a subject line has no room for all. */
    names: (names: readonly string[]) => (names.length <= 3 ? en.listOf(names) : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`),
    /** The shortest way to name platforms: "Facebook and 11 more". */
    namesShort: (first: string, more: number) => `${first} and ${more} more`,
    confirm: {
      subject: (names: string, count: number) => (count === 1 ? `Confirm your guide for ${names}` : `Confirm your guides for ${names}`),
      subjectWatch: 'Confirm: tell me about new objection deadlines',
      preview: 'One click, and your guides follow at once.',
      previewWatch: 'One click, and we write when a new objection deadline opens.',
      heading: 'Please confirm your address',
      intro: (names: string, count: number) =>
        `Someone, hopefully you, asked optout-countdown to send this address ${count === 1 ? 'a guide' : 'a guide each'} for ${names}, then reminders until each is done, never more than one email a day.`,
      introWatch: 'Someone, hopefully you, asked optout-countdown to write to this address when a new objection deadline opens for a platform on its list.',
      watchToo: 'The same button also says yes to an email when a new objection deadline opens for a platform on your list.',
      button: 'Yes, send me the guides',
      buttonWatch: 'Yes, tell me about new deadlines',
      ignore: (days: number) => `If it wasn't you, ignore this email: nothing more will arrive, and the request is deleted within ${days} days.`,
    },
    welcome: {
      subject: (names: string, count: number) => (count === 1 ? `Your guide for ${names}` : `Your guides for ${names}`),
      preview: (count: number): string => (count === 1 ? "Today's step, with its link." : "Today's step on each platform you picked, with its link."),
      heading: 'What you can do today',
      intro: (count: number): string =>
        count === 1
          ? 'Below: what to do, where, and how. When you have done it, press the button under the steps, and we stop reminding you of it.'
          : 'Below, for each platform you added: what to do, where, and how. When you have done one, press the button under its steps, and we stop reminding you of it.',
      wholeList: (names: string, count: number) => (count === 1 ? `Your list now holds one platform: ${names}.` : `Your list now holds ${count} platforms: ${names}.`),
      othersLeft: (names: string) => `Still to do from before: ${names}.`,
      mornings: 'Until all is done, a morning email now and then lists what is left, never more than one a day.',
    },
    morning: {
      /** The nearest open deadline: "3 days left to object on Facebook". */
      subjectDeadline: (countdown: string, names: string, action: 'form' | 'setting') =>
        action === 'form' ? `${countdown} to object on ${names}` : `${countdown} to opt out on ${names}`,
      subject: (names: string) => `Still to do: ${names}`,
      preview: "Today's step for each platform still on your list.",
      heading: 'Still on your list',
      intro: (names: string, count: number) =>
        count === 1
          ? `${names} is still to do. When you have done it, press its button, and we stop reminding you of it.`
          : `Still to do: ${names}. When you have done one, press its button, and we stop reminding you of it.`,
    },
    /** Lines every email about the person's list may hold. */
    list: {
      region: (region: string) => `Who it concerns: ${region}.`,
      done: (names: string) => `Done already: ${names}.`,
      deadline: (organisation: string, lastMoment: string) => `You can object to ${organisation} using your data until ${lastMoment}.`,
    },
    announcement: {
      subject: (names: string, countdown: string) => `New deadline for ${names}: ${countdown}`,
      preview: (organisation: string) => `${organisation} set a new objection deadline; here is how to object in time.`,
      heading: (organisation: string) => `${organisation} opened a new objection deadline`,
      why: (names: string, anyLeft: boolean) =>
        `You asked us to write when a new objection deadline opens for a platform you use. This one concerns ${names}; ${
          anyLeft ? 'your morning emails now count down to it' : 'what you did before counts for it, so there is nothing more to do'
        }.`,
      guidesIntro: (count: number): string => (count === 1 ? 'How to object in time, step by step:' : 'How to object in time on each of them, step by step:'),
      /** Sent after the deadline after all (a late delivery): what still helps, never a countdown. */
      headingPassed: (organisation: string) => `${organisation}'s deadline has passed`,
      previewPassed: 'What still helps, platform by platform.',
      notForMeIntro: 'Not for you?',
      notForMe: 'Change which platforms we remind you about',
    },
    keepWatching: {
      yourPlatforms: 'your platforms',
      subject: (names: string) => `Keep watching ${names} for new deadlines?`,
      preview: (day: string) => `One click keeps the watch; without it we erase your data on ${day}.`,
      heading: 'Shall we keep watching for you?',
      intro: (platforms: string) =>
        `You asked us to write when a new objection deadline opens for ${platforms}. No reminder of yours is due any more, so we ask before keeping your address another year.`,
      button: 'Yes, keep watching',
      erase: (day: string) => `Not interested any more? Do nothing: on ${day} we erase your address and choices.`,
      why: 'You get this email because you asked optout-countdown to watch for new objection deadlines.',
    },
    guide: {
      /** Today's action while a deadline is open, e.g. "3 days left to object on Facebook." */
      deadlineToday: (countdown: string, name: string, action: 'form' | 'setting') =>
        action === 'form' ? `${countdown} to object on ${name}.` : `${countdown} to switch the setting off on ${name}.`,
      link: (name: string, action: 'form' | 'setting') => (action === 'form' ? `Open the objection form for ${name}` : `Open the setting for ${name}`),
      doneLabel: 'Done means:',
      doneSameAs: (name: string) => `as for ${name}.`,
      stepsSameAs: (name: string, from: number, to: number) => (from === to ? `Step ${from} as for ${name}, above.` : `Steps ${from} to ${to} as for ${name}, above.`),
      button: {
        form: (name: string) => `I've objected on ${name}`,
        setting: (name: string) => `I've switched it off on ${name}`,
        limit: (name: string) => `Mark ${name} as done`,
      },
      markOutdated: (name: string) => `You marked ${name} as done before a newer deadline that asks everyone to act again, so it is back on your list.`,
    },
    footer: {
      why: (confirmedOn: string) => `You get this email because you asked optout-countdown for reminders about the platforms you use and confirmed your address on ${confirmedOn}.`,
      whyUndated: 'You get this email because you asked optout-countdown for reminders about the platforms you use and confirmed your address.',
      preferences: 'Your list, your preferences, your data',
      unsubscribe: 'Unsubscribe',
      privacy: 'Privacy',
    },
  },

  // The form: platforms by company, each with today's action in one line and its guide a click away.
  campaignForm: {
    intro:
      'Tick the platforms you use. We email you what you can do on each today, step by step, then a few reminders until you tell us it is done: before a deadline, or in the days after you add a platform. Nothing else, and no tracking.',
    groups: { meta: 'Meta apps', google: 'Google', microsoft: 'Microsoft', openai: 'OpenAI', anthropic: 'Anthropic', x: 'X' },
    noDeadlineOpen: 'No objection deadline is open right now: below is what you can do today on each platform.',
    standing: 'Switch it off now',
    standingHint: 'No deadline: this setting can be switched off at any time and protects what you do from then on.',
    howTo: 'How, step by step',
    formLink: 'Open the objection form',
    settingLink: 'Open the setting',
    doneLabel: 'Done:',
    checkedOn: (day: string) => `Facts checked on ${day}.`,
    sources: 'Sources:',
    watch: 'Also write to me when a new objection deadline opens for these platforms.',
    watchHint:
      'Optional and separate: without it you still get the guides and reminders. At most a few emails a year; when nothing of yours is running, we ask once a year whether to keep watching, and erase your data if you do not answer within 30 days.',
  },
  // --- Issue 14 (calendar, public count): added in one block ---
  calendar: {
    summary: (title: string) => `Last day to object: ${title}`,
    description: (title: string, lastMoment: string, link: string) =>
      `${title}: you can object until ${lastMoment}. Objecting takes a few minutes: ${link}`,
    alarm: (title: string) => `Tomorrow is the last day to object: ${title}`,
    /** The link in an email, one per open deadline: "Add Meta's deadline to my calendar". */
    addLinkFor: (organisation: string) => `Add ${organisation}'s deadline to my calendar`,
  },
  methodNotAllowed: {
    title: 'Not this way',
    message: 'This page exists, but not for this kind of request.',
  },
  publicCount: (count: string) => `${count} people have objected through optout-countdown`,
};

/** The shape every language implements. */
export type Text = typeof en;
