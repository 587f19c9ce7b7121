"""Personal details become typed placeholders; the rest of the message is untouched."""

import pytest

from bot.privacy.redact import redact

CASES = [
    # phone numbers: UK, IE, US, AU, CA
    ("call me on 07700 900123", "call me on [phone]"),
    ("my number is 07700900123", "my number is [phone]"),
    ("ring 020 7946 0018 after 6", "ring [phone] after 6"),
    ("+44 7700 900123 is my mobile", "[phone] is my mobile"),
    ("0044 20 7946 0018", "[phone]"),
    ("landline 0113 496 0000", "landline [phone]"),
    ("text me 07700-900-123", "text me [phone]"),
    ("my irish mobile is 087 123 4567", "my irish mobile is [phone]"),
    ("call +353 87 123 4567", "call [phone]"),
    ("dublin office 01 234 5678", "dublin office [phone]"),
    ("call (555) 123-4567", "call [phone]"),
    ("my cell is 555-123-4567", "my cell is [phone]"),
    ("+1 212 555 0147 anytime", "[phone] anytime"),
    ("phone 1-800-555-0199", "phone [phone]"),
    ("mobile 0412 345 678", "mobile [phone]"),
    ("call +61 412 345 678", "call [phone]"),
    ("home phone (02) 9876 5432", "home phone [phone]"),
    ("toronto number 416-555-0123", "toronto number [phone]"),
    ("+1 (604) 555-0188", "[phone]"),
    ("his number 07911123456 keeps texting her", "his number [phone] keeps texting her"),
    # emails
    ("email jo.bloggs@example.com please", "email [email] please"),
    ("it's parent123@gmail.com", "it's [email]"),
    ("contact me at a.b+c@school.sch.uk", "contact me at [email]"),
    ("MY EMAIL IS JO@EXAMPLE.ORG", "MY EMAIL IS [email]"),
    ("he messaged from lad2009@hotmail.co.uk", "he messaged from [email]"),
    # URLs, including ones with usernames
    ("it's on https://example.com/u/jo123", "it's on [url]"),
    ("see www.instagram.com/jess_x", "see [url]"),
    ("http://tiktok.com/@lad_2009 posted it", "[url] posted it"),
    ("the link is https://discord.gg/abc123", "the link is [url]"),
    ("https://www.facebook.com/profile.php?id=1000", "[url]"),
    ("snapchat.com/add/jessx", "[url]"),
    # handles
    ("his insta is @lad_2009", "his insta is [handle]"),
    ("snapchat @jess.x", "snapchat [handle]"),
    ("the account @scammer99 keeps messaging", "the account [handle] keeps messaging"),
    ("@someone_else sent it", "[handle] sent it"),
    ("tiktok user @daisy.mae.14", "tiktok user [handle]"),
    # postcodes and zip codes
    ("we live at SW1A 1AA", "we live at [postcode]"),
    ("postcode m1 1ae", "postcode [postcode]"),
    ("near EH1 2NG", "near [postcode]"),
    ("our postcode is CF10 3AT", "our postcode is [postcode]"),
    ("BT1 5GS belfast", "[postcode] belfast"),
    ("G1 2AB glasgow", "[postcode] glasgow"),
    ("eircode D02 X285", "eircode [postcode]"),
    ("we're at A65 F4E2", "we're at [postcode]"),
    ("Austin TX 78701", "Austin TX [postcode]"),
    ("zip code 90210", "zip code [postcode]"),
    ("zip 10001-1234", "zip [postcode]"),
    ("sydney NSW 2000", "sydney NSW [postcode]"),
    ("melbourne vic 3000", "melbourne vic [postcode]"),
    ("K1A 0B1", "[postcode]"),
    ("vancouver V6B 4Y8", "vancouver [postcode]"),
    # street addresses
    ("we live at 12 queen street", "we live at [address]"),
    ("he lives at 4 Mill Lane", "he lives at [address]"),
    ("she went to 221 baker street", "she went to [address]"),
    ("meet at 10 high road", "meet at [address]"),
    ("flat 3 above the shop", "[address] above the shop"),
    ("17 Orchard Close near the park", "[address] near the park"),
    ("it's 5 the crescent", "it's [address]"),
    ("742 Evergreen Terrace", "[address]"),
    ("apartment 12 on the third floor", "[address] on the third floor"),
    ("number 8 church road", "number [address]"),
    # names after relation words
    ("my daughter emily sent a nude", "my daughter [name] sent a nude"),
    ("My daughter Emily, 14, lives in Glasgow", "My daughter [name], 14, lives in Glasgow"),
    ("my son jake's friend tyler", "my son [name]'s friend [name]"),
    ("her boyfriend liam is 19", "her boyfriend [name] is 19"),
    ("my daughter Chloe", "my daughter [name]"),
    ("my son James sent it", "my son [name] sent it"),
    ("my son Will got a message", "my son [name] got a message"),
    ("the lad is called Josh", "the lad is called [name]"),
    ("a boy named kayden", "a boy named [name]"),
    ("my niece Ruby Smith", "my niece [name]"),
    ("my stepson, Harley, is 15", "my stepson, [name], is 15"),
    ("her teacher mr patel saw it", "her teacher mr [name] saw it"),
    ("my grandson oliver", "my grandson [name]"),
    ("my pupil Aisha told me", "my pupil [name] told me"),
    ("his ex Mia shared it", "his ex [name] shared it"),
    ("my daughter's friend kacey sent it round", "my daughter's friend [name] sent it round"),
    ("my foster son Tyler", "my foster son [name]"),
    ("her girlfriend Zara", "her girlfriend [name]"),
    ("our daughter Sophie-Mae", "our daughter [name]-[name]"),
    # several details in one message
    ("my son ethan, 07700 900123, jo@example.com", "my son [name], [phone], [email]"),
    ("@lad_2009 from 12 park road M1 1AE", "[handle] from [address] [postcode]"),
    ("call 087 123 4567 or email me@x.ie", "call [phone] or email [email]"),
    ("my daughter Lily is on www.site.com/lily", "my daughter [name] is on [url]"),
    # nothing personal: left exactly as it is
    ("my son is 14 and in year 9", "my son is 14 and in year 9"),
    ("my daughter sent a nude", "my daughter sent a nude"),
    ("my son is being blackmailed", "my son is being blackmailed"),
    ("we live in Glasgow", "we live in Glasgow"),
    ("call 999", "call 999"),
    ("it happened in 2019", "it happened in 2019"),
    ("in year 2019 2020", "in year 2019 2020"),
    ("she sent 3 pics at 11pm", "she sent 3 pics at 11pm"),
    ("my son won't do his homework", "my son won't do his homework"),
    ("my son's girlfriend hits him", "my son's girlfriend hits him"),
    ("my kid reposted a naked image", "my kid reposted a naked image"),
    ("my daughter keeps crying", "my daughter keeps crying"),
    ("my 12 year old on roblox", "my 12 year old on roblox"),
    ("the NSPCC number is on the website", "the NSPCC number is on the website"),
    ("he's in S3 at school", "he's in S3 at school"),
    ("my boy is in grade 8 in Texas", "my boy is in grade 8 in Texas"),
    ("", ""),
    ("🙂🙂🙂", "🙂🙂🙂"),
    # a parent signing with where they write from keeps the place (the crisis gate reads it);
    # a name after the same words, or after "my dad,", is still removed
    ("Dad, Preston. She is not home", "Dad, Preston. She is not home"),
    ("mum, Leeds, she's 14", "mum, Leeds, she's 14"),
    ("Mum, New York. He has gone", "Mum, New York. He has gone"),
    ("dad, Ballymena here", "dad, Ballymena here"),
    ("Mum, Sarah here", "Mum, [name] here"),
    ("her dad, Steve, keeps texting", "her dad, [name], keeps texting"),
    ("my son, Jake, is missing", "my son, [name], is missing"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_redaction(text, expected):
    assert redact(text) == expected


def test_table_has_at_least_100_cases():
    assert len(CASES) >= 100
