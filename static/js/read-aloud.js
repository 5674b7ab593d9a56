/* Read aloud (朗读): speaks the text of the element marked data-read-aloud with the browser's own
   speech synthesis, in Mandarin, and in English where the text is English (lang attributes say
   which: an English page shows a guide not yet translated in Chinese under English headings).
   The controls of templates/includes/read_aloud.html stay hidden where the browser has no voice
   for the text's own language. */
(function () {
  'use strict';

  // Some engines cut long utterances off (Chrome stops after about 15 seconds), so speak short pieces.
  const MAX_CHUNK = 200;
  // A sentence ends at Chinese end punctuation (with any closing quote), a line break, or . ! ? ;
  // followed by a space (not the point in 1.5 or 2026.3.5).
  const SENTENCE = /[^。！？；\n]+?(?:[。！？；]+[”’」』）)]*|[.!?;]+(?=\s|$)|(?=\n)|$)/g;
  const PAUSES = '，、,：:； ';
  // Chinese characters with their punctuation: the English parts of a page still show names and
  // addresses in Chinese where no English is given, and only the Mandarin voice can read them.
  // A run starts and ends with one and may hold digits between (5号楼).
  const HAN_CHARACTER = '[\\u3000-\\u303f\\u3400-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef]';
  const HAN = new RegExp(`(${HAN_CHARACTER}(?:[\\d\\s.\\-–]*${HAN_CHARACTER})*)`);
  const LANGUAGES = {
    zh: /^(zh-(cn|hans)|cmn)(-|$)|^zh$/,
    en: /^en(-|$)/,
  };

  const synth = window.speechSynthesis;
  const controls = document.querySelector('[data-read-aloud-controls]');
  const article = document.querySelector('[data-read-aloud]');
  if (!synth || typeof window.SpeechSynthesisUtterance !== 'function' || !controls || !article) {
    return;
  }

  const buttons = {
    start: controls.querySelector('[data-read-aloud-start]'),
    pause: controls.querySelector('[data-read-aloud-pause]'),
    resume: controls.querySelector('[data-read-aloud-resume]'),
    stop: controls.querySelector('[data-read-aloud-stop]'),
  };
  const status = controls.querySelector('[role=status]');
  const mainLanguage = languageOf(article);
  let voices = {};
  let queue = [];
  let current = null;

  function languageOf(element) {
    const lang = (element.closest('[lang]') || document.documentElement).lang.toLowerCase();
    return LANGUAGES.en.test(lang) ? 'en' : 'zh';
  }

  // The text of an element in reading order, in pieces of one language each: a part without
  // another language inside is read whole, as the reader sees it (innerText).
  function pieces(element, language, found) {
    const mixed = Array.from(element.querySelectorAll('[lang]')).some((inner) => languageOf(inner) !== language);
    if (!mixed) {
      found.push({ language, text: element.innerText });
      return found;
    }
    for (const node of element.childNodes) {
      if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) {
        // As innerText would: the line breaks of the page's source are no sentence ends.
        found.push({ language, text: node.textContent.replace(/\s+/g, ' ') });
      } else if (node.nodeType === Node.ELEMENT_NODE && node.getClientRects().length) {
        pieces(node, languageOf(node), found);
      }
    }
    return found;
  }

  function chunks(text) {
    const found = [];
    for (let sentence of text.match(SENTENCE) || []) {
      sentence = sentence.trim();
      while (sentence.length > MAX_CHUNK) {
        // Break a long sentence after its last comma (or space) that fits, else anywhere.
        const cut = Math.max(...Array.from(PAUSES, (mark) => sentence.lastIndexOf(mark, MAX_CHUNK - 1)));
        const end = cut > 0 ? cut + 1 : MAX_CHUNK;
        found.push(sentence.slice(0, end).trim());
        sentence = sentence.slice(end).trim();
      }
      if (sentence) {
        found.push(sentence);
      }
    }
    return found;
  }

  function findVoice(language) {
    const found = synth
      .getVoices()
      .filter((v) => LANGUAGES[language].test((v.lang || '').replace(/_/g, '-').toLowerCase()));
    return found.find((v) => v.default) || found.find((v) => v.localService) || found[0] || null;
  }

  function show(state, message) {
    // The house CSS makes every button display:inline-flex, which would beat the hidden attribute.
    const visible = {
      idle: ['start'],
      speaking: ['pause', 'stop'],
      paused: ['resume', 'stop'],
    }[state];
    const focused = Object.keys(buttons).find((name) => buttons[name] === document.activeElement);
    for (const [name, button] of Object.entries(buttons)) {
      button.style.display = visible.includes(name) ? '' : 'none';
    }
    // A keyboard or screen reader user stays on the controls when the pressed button goes away.
    if (focused && !visible.includes(focused)) {
      buttons[visible[0]].focus();
    }
    controls.dataset.state = state;
    status.textContent = message;
  }

  function speakNext() {
    if (!queue.length) {
      current = null;
      show('idle', controls.dataset.finished);
      return;
    }
    const next = queue.shift();
    // Without a voice for a piece's language, the text's main voice reads it.
    const voice = voices[next.language] || voices[mainLanguage];
    const utterance = new window.SpeechSynthesisUtterance(next.text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.9; // a little slower than usual, for older listeners
    // Events of an utterance that was stopped (or replaced) must not move the reading on; an
    // engine that fails (no audio, not allowed) ends it rather than failing at every sentence.
    utterance.addEventListener('end', () => {
      if (current === utterance) {
        speakNext();
      }
    });
    utterance.addEventListener('error', () => {
      if (current === utterance) {
        stop();
      }
    });
    current = utterance; // also keeps it from being garbage-collected before it ends (Chrome)
    synth.speak(utterance);
  }

  function start() {
    stop();
    queue = pieces(article, mainLanguage, [])
      .flatMap(({ language, text }) =>
        language === 'en'
          ? text.split(HAN).map((part, index) => ({ language: index % 2 ? 'zh' : 'en', text: part }))
          : [{ language, text }]
      )
      .flatMap(({ language, text }) => chunks(text).map((chunk) => ({ language, text: chunk })));
    show('speaking', controls.dataset.speaking);
    speakNext();
  }

  function stop() {
    queue = [];
    current = null;
    synth.cancel();
    // Chrome stays paused after cancel(): what is spoken next would never start.
    if (synth.paused) {
      synth.resume();
    }
    show('idle', '');
  }

  function pause() {
    synth.pause();
    show('paused', controls.dataset.paused);
  }

  function resume() {
    synth.resume();
    show('speaking', controls.dataset.speaking);
  }

  function offerIfVoice() {
    voices = { zh: findVoice('zh'), en: findVoice('en') };
    if (!voices[mainLanguage] && current) {
      stop();
    }
    controls.hidden = !voices[mainLanguage];
  }

  buttons.start.addEventListener('click', start);
  buttons.pause.addEventListener('click', pause);
  buttons.resume.addEventListener('click', resume);
  buttons.stop.addEventListener('click', stop);
  // Speech would otherwise go on after the reader has left the page or switched away from it.
  document.addEventListener('visibilitychange', () => {
    if (document.hidden && current) {
      stop();
    }
  });
  window.addEventListener('pagehide', () => {
    if (current) {
      stop();
    }
  });
  // Voices often arrive after the page has loaded.
  if (typeof synth.addEventListener === 'function') {
    synth.addEventListener('voiceschanged', offerIfVoice);
  } else {
    synth.onvoiceschanged = offerIfVoice;
  }
  show('idle', '');
  offerIfVoice();
})();
