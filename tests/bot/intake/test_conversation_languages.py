"""The conversation in the requester's language (SPEC 2.1 "Language"): read from what they write, kept with the
draft, dates in that language, field values in their words; a chat locale decides over the text."""

from __future__ import annotations

from support import stored

from bot.intake.conversation import Conversation
from bot.intake.messages import Incoming, Reply, ReplyKind
from storage.db import Database
from storage.repositories import Drafts


def say(convo: Conversation, text: str, user: str = "U1", language: str | None = None) -> Reply:
    return convo.handle(Incoming(user, f"D{user}", text, "UTC", language=language))


def test_a_german_requester_is_answered_in_german_to_the_end(convo: Conversation, db: Database) -> None:
    first = say(convo, "Wir brauchen ein YouTube-Video von 30 Sekunden im Format 16:9 bis zum 27. März")
    assert first.kind is ReplyKind.QUESTION and first.language == "de"
    assert "Verstanden: Video" in first.text and "Fr., 27. März 2026" in first.text
    assert "Was soll es erreichen, und für wen ist es?" in first.text
    confirm = say(convo, "Ziel: Anmeldungen für den Frühjahrslaunch. Zielgruppe: Marketingleiter in der DACH-Region")
    assert confirm.kind is ReplyKind.CONFIRM
    assert "Zielgruppe Marketingleiter in der DACH-Region" in confirm.text  # the label translated, the value theirs
    assert "Hier ist dein Briefing. Antworte `absenden`" in confirm.text
    with db.session() as s:
        draft = Drafts(s).get("U1", "DU1")
        assert draft is not None and draft.pending["lang"] == "de"
    done = say(convo, "ok")  # too short to tell a language: the draft's stays
    assert done.kind is ReplyKind.SUBMITTED and done.language == "de"
    assert done.text.startswith("Gesendet als CR-0001:")
    assert stored(db, "CR-0001").brief["audience"] == "Marketingleiter in der DACH-Region"


def test_a_spanish_requester_gets_spanish_questions_dates_and_acknowledgements(convo: Conversation) -> None:
    first = say(convo, "Necesitamos un vídeo de 30 segundos para YouTube, formato 16:9, para el 27 de marzo", "U2")
    assert first.language == "es"
    assert "Entendido: vídeo en YouTube para el vie, 27 mar 2026." in first.text
    assert "¿Qué debe conseguir y para quién es?" in first.text
    moved = say(convo, "deadline: 30 de marzo", "U2")
    assert "Nuevo valor de fecha límite: lun, 30 mar 2026 (antes: vie, 27 mar 2026)." in moved.text
    assert say(convo, "ayuda", "U2").text.startswith("Cuéntame con tus palabras qué necesitas")
    say(convo, "Objetivo: inscripciones al webinar. Público: clientes actuales", "U2")
    assert say(convo, "enviar", "U2").text.startswith("Enviada como CR-0001: Inscripciones al webinar")
    say(convo, "Necesitamos también un cartel para la feria de Madrid", "U2")  # a new draft, in Spanish again
    status = say(convo, "estado", "U2").text
    assert status == "Tus solicitudes abiertas:\n• CR-0001 Inscripciones al webinar — YouTube video 30s — enviada"


def test_the_chat_locale_decides_over_the_language_of_the_text(convo: Conversation) -> None:
    reply = say(convo, "need a 30s youtube pre-roll, 16:9, due in 3 weeks", "U3", language="fr")
    assert reply.language == "fr"
    assert "Compris : vidéo" in reply.text and "lun. 23 mars 2026" in reply.text


def test_english_stays_english_and_a_short_first_message_is_english(convo: Conversation) -> None:
    assert say(convo, "help", "U4").text.startswith("Tell me what you need in your own words")
    reply = say(convo, "need a 30s youtube pre-roll, 16:9, due in 3 weeks", "U5")
    assert reply.language == "en" and "Got it: video" in reply.text and "Mon 23 Mar 2026" in reply.text
