# Information for a person who may be a victim of human trafficking, printed for them to keep
# (Directive 2011/36/EU Art 11(5)-(6); Council of Europe Convention Arts 12(1)(d), 15(1)).
# Vietnamese (vi).
#
# Translated from en.ftl, the reference: the notes above each message explain it and are the
# same in every language file. A message missing here is printed in English, and
# `haven check-translations` lists it.
#
# For translators:
# - The reader may be frightened, tired and may have gone to school for only a few years. Use
#   plain, everyday words and short sentences. Speak to the reader as "you", kindly and directly.
#   Use the polite form of "you" if your language has one. Where your language shows whether the
#   reader is a man or a woman, prefer words that fit both.
# - Keep each message name (the part before " = ") exactly as it is. Translate only the text
#   after " = ".
# - Words in braces such as { $until } are filled in by Haven (a date, a name). Copy them exactly,
#   with the braces and the dollar sign. You may move them to where they fit in your sentence.
# - A long message may go on over several lines: start each further line with four spaces.
# - Lines starting with # are notes for you. They are never printed.

## Language

# The name of this language, written in this language and its own script. The person chooses
# their language from a list of these names.
language-name = Tiếng Việt

## Dates

# How a date is written in this language. Haven fills in $day (two digits, e.g. 05),
# $month (two digits, e.g. 09) and $year (four digits, e.g. 2026). Put them in the usual order,
# with the usual separators.
date = { $day }/{ $month }/{ $year }

## Title

# The title at the top of the leaflet.
leaflet-title = Quyền của bạn và nơi nhận giúp đỡ
# Under the title: the paper belongs to the person.
leaflet-keep = Tờ giấy này là của bạn. Bạn có thể giữ nó.
# Under the title: they may read it when they are ready, with someone they trust.
leaflet-read = Hãy đọc khi bạn thấy sẵn sàng. Bạn có thể đọc cùng một người mà bạn tin tưởng.
# Printed only when the support worker chooses to print the person's first name.
# $name is the first name, e.g. "Olena".
leaflet-greeting = Xin chào { $name }.

## Your rights as a possible victim

# Heading of the section.
rights-title = Quyền của bạn
# Why the person gets this leaflet. "Human trafficking" is the legal name of the crime.
rights-victim = Chúng tôi nghĩ rằng bạn có thể là nạn nhân của nạn mua bán người.
# What human trafficking means, in simple words.
rights-meaning = Điều này có nghĩa là có người đã lừa dối, ép buộc hoặc đe dọa bạn, và lợi dụng bạn để kiếm tiền.
# Reassurance: it is a crime, and the victim is not to blame.
rights-not-your-fault = Đây là một tội ác. Đó không phải là lỗi của bạn.
# The person has rights and will get help.
rights-help = Ở đất nước này, bạn có các quyền. Bạn có thể được giúp đỡ và bảo vệ. Bạn có thể hỏi bất cứ lúc nào.
# Interpretation is free.
rights-interpreter = Bạn có thể có người phiên dịch. Bạn không phải trả tiền.

## Help does not depend on talking to the police (Directive Art 11(3))

# Heading of the section.
police-title = Được giúp đỡ mà không cần đến cảnh sát
# Help is not conditional on cooperating with the police or the courts.
police-text = Bạn vẫn được giúp đỡ dù bạn không muốn nói chuyện với cảnh sát. Sự giúp đỡ không phụ thuộc vào việc bạn làm chứng hay ra tòa.
# The person may decide later.
police-later = Bạn có thể quyết định sau xem có muốn nói chuyện với cảnh sát hay không.

## The recovery and reflection period (Convention Art 13)

# Heading of the section.
reflection-title = Thời gian để nghỉ ngơi và quyết định
# The right to the period, with its legal name (so the person can ask for it by name).
reflection-right = Bạn có quyền có thời gian để nghỉ ngơi và suy nghĩ. Thời gian này gọi là giai đoạn hồi phục và suy xét.
# What the period is for.
reflection-purpose = Trong thời gian này, bạn có thể hồi phục, tránh xa những người đã làm hại bạn, và bình tĩnh quyết định điều bạn muốn làm. Ví dụ, bạn có muốn nói chuyện với cảnh sát hay không.
# No removal from the country while the period runs.
reflection-no-removal = Trong thời gian này, không ai được đưa bạn ra khỏi đất nước này.
# The dates of the person's period. $from is the first day, $until the last day (both dates).
reflection-dates = Thời gian nghỉ ngơi và quyết định của bạn: từ { $from } đến { $until }.
# Printed instead of the dates when they are not known yet.
reflection-dates-unknown = Nhân viên hỗ trợ sẽ cho bạn biết khi nào thời gian này bắt đầu và khi nào kết thúc.

## Residence permit (Convention Art 14; Directive 2004/81/EC)

# Heading of the section.
residence-title = Được phép ở lại
# What a residence permit is.
residence-text = Bạn có thể được phép ở lại đất nước này một thời gian. Điều này gọi là giấy phép cư trú.
# On what grounds it can be given.
residence-grounds = Giấy phép có thể được cấp vì hoàn cảnh riêng của bạn, hoặc vì bạn giúp cảnh sát hay tòa án.
# Where to get help to apply.
residence-help = Nhân viên hỗ trợ hoặc luật sư có thể giúp bạn làm đơn.
# Printed when the person has a residence permit. $until is the last day it is valid (a date).
residence-yours = Bạn có giấy phép cư trú. Giấy phép có giá trị đến { $until }.

## International protection (asylum) (Directive Art 11(6); Convention Art 14(5))

# Heading of the section. "Asylum" is the word most people know.
protection-title = Tị nạn
# The right to ask for international protection.
protection-text = Nếu bạn sợ trở về nước mình, bạn có thể xin được bảo vệ ở đây. Điều này gọi là tị nạn, hay bảo hộ quốc tế.
# Asylum can be asked for together with the other help.
protection-also = Bạn có thể xin tị nạn mà vẫn nhận được mọi sự giúp đỡ khác trong tờ giấy này.
# Where to get help.
protection-help = Hãy nói với nhân viên hỗ trợ hoặc luật sư nếu bạn muốn xin tị nạn.

## Support available (Directive Art 11(5); Convention Art 12(1))

# Heading of the section.
support-title = Sự giúp đỡ bạn có thể nhận
# Introduces the list below.
support-intro = Bạn có thể nhận những sự giúp đỡ sau. Bạn không phải trả tiền:
# List item: safe accommodation.
support-accommodation = một nơi ở an toàn
# List item: material assistance.
support-material = thức ăn, quần áo và những thứ cần dùng hằng ngày
# List item: medical treatment.
support-medical = bác sĩ, và thuốc khi bạn cần
# List item: psychological assistance.
support-psychological = một người để bạn nói chuyện về những gì đã xảy ra với bạn
# List item: translation and interpretation.
support-interpretation = người phiên dịch, để bạn hiểu người khác và người khác hiểu bạn
# List item: counselling and information.
support-counselling = lời khuyên và thông tin về quyền của bạn, bằng ngôn ngữ bạn hiểu
# Help is given only with the person's agreement.
support-choice = Bạn tự chọn sự giúp đỡ bạn muốn. Bạn có thể từ chối.
# Printed when known. $since is the date from which the person has had the right to this help.
support-since = Bạn có quyền nhận sự giúp đỡ này từ ngày { $since }.

## Free legal advice and representation (Directive Art 12(2); Convention Art 15(2))

# Heading of the section.
legal-title = Luật sư
# What a lawyer can do.
legal-advice = Luật sư có thể giải thích quyền của bạn. Luật sư có thể giúp bạn khi làm việc với cảnh sát, tòa án và giấy tờ.
# Free when the person has no money.
legal-free = Nếu bạn không đủ tiền, bạn không phải trả tiền luật sư.
# Representation in court.
legal-court = Luật sư cũng có thể thay mặt bạn ở tòa án.

## Compensation (Directive Art 17; Convention Art 15(3)-(4))

# Heading of the section.
compensation-title = Tiền bồi thường cho những tổn hại bạn phải chịu
# The right to compensation, with its legal name.
compensation-text = Bạn có thể có quyền nhận tiền cho những tổn hại bạn phải chịu, và cho công việc bạn đã làm mà không được trả tiền. Điều này gọi là bồi thường.
# Where to get help.
compensation-help = Luật sư có thể giúp bạn đòi khoản tiền này.

## Not punished for crimes you were forced to commit (Directive Art 8; Convention Art 26)

# Heading of the section.
punishment-title = Những việc bạn bị ép phải làm
# Examples of offences a victim may have been compelled to commit.
punishment-forced = Có thể bạn đã bị ép làm trái pháp luật. Ví dụ như làm việc không có giấy tờ, dùng giấy tờ giả hoặc trộm cắp.
# The authorities may decide not to punish the person. Do not promise more than this.
punishment-text = Cơ quan chức năng có thể quyết định không phạt bạn vì những việc bạn bị ép phải làm. Hãy kể điều này với luật sư hoặc nhân viên hỗ trợ.

## Children (Directive Arts 13-16; Convention Art 10(3)-(4))

# Heading of the section.
children-title = Nếu bạn chưa đủ 18 tuổi
# Children get extra protection.
children-protection = Nếu bạn chưa đủ 18 tuổi, bạn được bảo vệ nhiều hơn.
# A guardian or representative is appointed for a child who is here without their parents, or
# whose parents cannot act in the child's interests (Dir 2011/36 Art 14(2), Art 16(3); CETS 197
# Art 10(4)). Printed on a child's leaflet only: do not promise a guardian to everyone.
children-guardian = Nếu bạn ở đây mà không có cha mẹ, hoặc cha mẹ bạn không thể bảo vệ quyền lợi của bạn, bạn sẽ có một người giám hộ. Người giám hộ là một người lớn bảo vệ quyền lợi của bạn và giúp bạn quyết định.
# Protected interviews (Dir 2011/36 Art 15(3)). The child's representative or, where appropriate,
# an adult the child chooses may be present, unless a reasoned decision excludes that person
# (Dir 2011/36 Art 15(3)(f)). Do not promise more than this.
children-interviews = Nếu bạn nói chuyện với cảnh sát hoặc thẩm phán, việc này sẽ diễn ra trong một căn phòng an toàn và thân thiện, càng ít lần càng tốt. Người giám hộ hoặc người đại diện của bạn, hoặc một người lớn do bạn chọn, có thể ở cùng bạn, trừ khi có lý do nghiêm trọng để người đó không được ở cùng.
# Access to education.
children-school = Bạn có thể đi học.
# The presumption of minority.
children-age = Nếu không ai biết chắc bạn bao nhiêu tuổi, bạn sẽ được bảo vệ như trẻ em cho đến khi tuổi của bạn được kiểm tra.

## Whom to call

# Heading of the section.
contact-title = Gọi cho ai
# The organisation that helps the person. $organisation is its name.
contact-organisation = Tổ chức hỗ trợ bạn: { $organisation }.
# Printed when known. $phone is a telephone number.
contact-phone = Điện thoại: { $phone }
# Printed when known. $email is an email address.
contact-email = Thư điện tử: { $email }
# A line left empty so that the support worker can write a telephone number by hand.
contact-write-in = Số điện thoại của nhân viên hỗ trợ:
# The emergency number.
contact-emergency = Khi khẩn cấp, hãy gọi 112. Cuộc gọi miễn phí, cả ngày lẫn đêm.

## A copy of your data

# The heading of the first page of a copy of the person's data (Reg 2016/679 Art 15), printed
# for them when the rest of the copy is not yet in their language.
leaflet-access-heading = Bản sao dữ liệu của bạn
# What the paper is: the copy of their data they asked for, and the article that gives them
# the right to it.
leaflet-access-intro = Bạn đã yêu cầu một bản sao thông tin mà chúng tôi lưu giữ về bạn. Đây là bản sao đó. Luật pháp cho bạn quyền này (Quy định chung về bảo vệ dữ liệu của EU, Điều 15).
# Why the pages after this one are in another language, and what they can do about it.
leaflet-access-language = Các trang tiếp theo chưa có bằng ngôn ngữ của bạn. Bạn có thể nhờ ai đó đọc hoặc dịch cho bạn.
# Their further rights: correction, erasure, restriction (Reg 2016/679 Arts 16-18) and a
# complaint to the supervisory authority (Art 77).
leaflet-access-rights = Nếu có điều gì sai, bạn có thể yêu cầu chúng tôi sửa lại. Bạn có thể yêu cầu chúng tôi xóa thông tin của bạn, hoặc tạm ngừng sử dụng thông tin đó. Bạn có thể khiếu nại với cơ quan bảo vệ dữ liệu.
# Data of police investigations and court cases are left out of the copy (Dir 2016/680
# Art 15); the person may ask the supervisory authority to check (Art 17).
leaflet-access-police = Thông tin từ các cuộc điều tra của cảnh sát và các vụ án tại tòa không có trong bản sao này. Bạn có thể yêu cầu cơ quan bảo vệ dữ liệu kiểm tra việc này.
