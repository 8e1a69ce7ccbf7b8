// The video tiles: one per person (camera, or their name while there is no
// picture), a larger one per shared screen, and a hidden <audio> per remote
// person. Names are only ever set as text.

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

// Shows `track` in a <video> or <audio>, or nothing; replaces only on change.
function show(media, track) {
  const current = media.srcObject ? media.srcObject.getTracks()[0] : null;
  if (current === (track || null)) return;
  media.srcObject = track ? new MediaStream([track]) : null;
  if (track) media.play().catch(() => { /* autoplay refused: shown once the user interacts */ });
}

export class Tiles {
  // onKick(id): the moderator pressed "Remove" on a tile.
  constructor(container, audioSink, { onKick }) {
    this.container = container;
    this.audioSink = audioSink;
    this.onKick = onKick;
    this.people = new Map();   // id ('self' for us) -> {tile, video, name, badges, kick, audio}
    this.screens = new Map();  // id -> {tile, video}
    this.moderator = false;
  }

  person(id, name, isSelf) {
    let p = this.people.get(id);
    if (!p) {
      const tile = el('figure', isSelf ? 'tile self' : 'tile');
      tile.dataset.participant = id;
      const video = el('video');
      video.autoplay = true;
      video.playsInline = true;
      video.muted = true;  // sound comes from the <audio> element
      const placeholder = el('div', 'placeholder');
      const caption = el('figcaption');
      const label = el('span', 'name');
      const badges = el('span', 'badges');
      caption.append(label, badges);
      let kick = null;
      if (!isSelf) {
        kick = el('button', 'kick', 'Remove');
        kick.type = 'button';
        kick.hidden = !this.moderator;
        kick.addEventListener('click', () => this.onKick(id));
        caption.append(kick);
      }
      tile.append(video, placeholder, caption);
      this.container.append(tile);
      let audio = null;
      if (!isSelf) {
        audio = el('audio');
        audio.autoplay = true;
        audio.dataset.participant = id;
        this.audioSink.append(audio);
      }
      p = { tile, video, placeholder, label, badges, kick, audio };
      this.people.set(id, p);
    }
    p.label.textContent = isSelf ? `${name} (you)` : name;
    p.placeholder.textContent = (name || '?').trim().slice(0, 1).toUpperCase();
    return p;
  }

  // muted: {audio, video} as the person announced it.
  update(id, name, muted, media, isSelf = false) {
    const p = this.person(id, name, isSelf);
    const camera = media.camera && media.camera.readyState === 'live' ? media.camera : null;
    show(p.video, muted.video ? null : camera);
    p.tile.classList.toggle('no-video', !camera || muted.video);
    if (p.audio) show(p.audio, media.audio || null);
    const badges = [];
    if (muted.audio) badges.push('microphone off');
    if (muted.video) badges.push('camera off');
    p.badges.textContent = badges.length ? ` · ${badges.join(' · ')}` : '';
    this.screen(id, name, media.screen || null, isSelf);
  }

  screen(id, name, track, isSelf) {
    let s = this.screens.get(id);
    if (!track) {
      if (s) {
        show(s.video, null);
        s.tile.remove();
        this.screens.delete(id);
      }
      return;
    }
    if (!s) {
      const tile = el('figure', 'tile screen');
      tile.dataset.screen = id;
      const video = el('video');
      video.autoplay = true;
      video.playsInline = true;
      video.muted = true;
      const caption = el('figcaption');
      tile.append(video, caption);
      this.container.prepend(tile);
      s = { tile, video, caption };
      this.screens.set(id, s);
    }
    s.caption.textContent = isSelf ? 'Your screen' : `${name}'s screen`;
    show(s.video, track);
  }

  remove(id) {
    const p = this.people.get(id);
    if (p) {
      show(p.video, null);
      p.tile.remove();
      if (p.audio) {
        show(p.audio, null);
        p.audio.remove();
      }
      this.people.delete(id);
    }
    this.screen(id, '', null, false);
  }

  setModerator(moderator) {
    this.moderator = moderator;
    for (const p of this.people.values()) if (p.kick) p.kick.hidden = !moderator;
  }

  clear() {
    for (const id of [...this.people.keys()]) this.remove(id);
    for (const id of [...this.screens.keys()]) this.screen(id, '', null, false);
  }
}
