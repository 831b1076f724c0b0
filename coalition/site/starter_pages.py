# ruff: noqa: E501  (prose: the summaries are single sentences)
"""The five campaign pages a new installation starts with, in the four languages of the site.

Campaigners rewrite them in the admin; `reference_data.load` creates them only while the site has no page at all, so
their edits (and a page they deleted) are never overwritten. Text in Markdown (coalition/lib/markdown.py).
"""

from __future__ import annotations

# slug → (place in the menu, {language: (title, summary, body)})
STARTER_PAGES: dict[str, tuple[int, dict[str, tuple[str, str, str]]]] = {
    "the-problem": (
        10,
        {
            "en": (
                "The problem",
                "Cluster munitions kill and maim civilians during attacks and for decades after.",
                """A cluster munition is a bomb, rocket or shell that opens in the air and scatters dozens or hundreds of
smaller explosive submunitions over an area as large as several football pitches.

## Harm during the attack

Submunitions cannot tell a soldier from a child. Spread over a wide area, they strike homes, markets, schools and
hospitals near any military target. When they are used in towns, civilians are hit first.

## Harm for decades after

Many submunitions fail to explode on impact. They lie in fields, gardens and rubble, and explode when someone picks
one up, ploughs the land or rebuilds a house. Farmers, returning refugees and children, drawn by their small size
and bright colours, are killed and injured years after the fighting has ended.

Contaminated land cannot be farmed, roads and schools cannot be rebuilt, and families cannot return home. Clearance
is slow, dangerous and costly.

## Who is hurt

Civilians make up the vast majority of the casualties recorded, and many of them are children. Survivors often live
with amputations, burns, blindness and trauma, and need care for the rest of their lives.

The coalition's researchers record strikes, casualties and contaminated areas: see [the research](/research/).""",
            ),
            "fr": (
                "Le problème",
                "Les armes à sous-munitions tuent et mutilent des civils pendant les attaques et pendant des décennies.",
                """Une arme à sous-munitions est une bombe, une roquette ou un obus qui s'ouvre en l'air et disperse des
dizaines, voire des centaines de sous-munitions explosives sur une zone aussi grande que plusieurs terrains de football.

## Les dégâts pendant l'attaque

Les sous-munitions ne distinguent pas un soldat d'un enfant. Dispersées sur une large zone, elles frappent les
maisons, les marchés, les écoles et les hôpitaux situés près de toute cible militaire. Quand elles sont utilisées
dans des villes, les civils sont les premiers touchés.

## Les dégâts pendant des décennies

Beaucoup de sous-munitions n'explosent pas à l'impact. Elles restent dans les champs, les jardins et les décombres, et
explosent quand quelqu'un en ramasse une, laboure la terre ou reconstruit une maison. Des agriculteurs, des réfugiés
de retour chez eux et des enfants, attirés par leur petite taille et leurs couleurs vives, sont tués et blessés des
années après la fin des combats.

Une terre contaminée ne peut pas être cultivée, les routes et les écoles ne peuvent pas être reconstruites, et les
familles ne peuvent pas rentrer chez elles. La dépollution est lente, dangereuse et coûteuse.

## Qui est touché

Les civils représentent la grande majorité des victimes recensées, et beaucoup sont des enfants. Les survivants
vivent souvent avec des amputations, des brûlures, la cécité et des traumatismes, et ont besoin de soins toute leur
vie.

Les chercheurs de la coalition recensent les frappes, les victimes et les zones contaminées : voir
[la recherche](/research/).""",
            ),
            "es": (
                "El problema",
                "Las municiones en racimo matan y mutilan a civiles durante los ataques y durante décadas.",
                """Una munición en racimo es una bomba, un cohete o un proyectil que se abre en el aire y esparce decenas
o cientos de submuniciones explosivas sobre una zona tan grande como varios campos de fútbol.

## El daño durante el ataque

Las submuniciones no distinguen a un soldado de un niño. Esparcidas sobre una zona amplia, alcanzan viviendas,
mercados, escuelas y hospitales cercanos a cualquier objetivo militar. Cuando se usan en ciudades, los civiles son
los primeros en sufrirlas.

## El daño durante décadas

Muchas submuniciones no explotan al impactar. Quedan en campos, huertos y escombros, y explotan cuando alguien las
recoge, ara la tierra o reconstruye una casa. Agricultores, refugiados que regresan y niños, atraídos por su pequeño
tamaño y sus colores vivos, mueren o resultan heridos años después del fin de los combates.

La tierra contaminada no se puede cultivar, las carreteras y escuelas no se pueden reconstruir y las familias no
pueden volver a casa. El despeje es lento, peligroso y costoso.

## A quién afecta

Los civiles son la gran mayoría de las víctimas registradas, y muchos de ellos son niños. Los sobrevivientes suelen
vivir con amputaciones, quemaduras, ceguera y traumas, y necesitan atención durante el resto de su vida.

Los investigadores de la coalición registran ataques, víctimas y zonas contaminadas: consulte
[la investigación](/research/).""",
            ),
            "ar": (
                "المشكلة",
                "الذخائر العنقودية تقتل المدنيين وتشوّههم أثناء الهجمات ولعقود بعدها.",
                """الذخيرة العنقودية قنبلة أو صاروخ أو قذيفة تنفتح في الجو وتنثر عشرات أو مئات الذخائر الصغيرة
المتفجرة على مساحة قد تعادل عدة ملاعب لكرة القدم.

## الأذى أثناء الهجوم

لا تميّز الذخائر الصغيرة بين جندي وطفل. فهي تنتشر على مساحة واسعة وتصيب المنازل والأسواق والمدارس والمستشفيات
القريبة من أي هدف عسكري. وعندما تُستخدم في المدن يكون المدنيون أول من يُصاب.

## الأذى لعقود بعد الهجوم

كثير من الذخائر الصغيرة لا ينفجر عند الارتطام. فتبقى في الحقول والحدائق وتحت الأنقاض، ثم تنفجر عندما يلتقطها
أحد أو يحرث الأرض أو يعيد بناء بيته. ويُقتل المزارعون واللاجئون العائدون والأطفال، الذين يجذبهم صغر حجمها وألوانها
الزاهية، أو يُصابون بعد سنوات من انتهاء القتال.

لا يمكن زراعة الأرض الملوثة، ولا إعادة بناء الطرق والمدارس، ولا تستطيع العائلات العودة إلى ديارها. أما التطهير
فهو بطيء وخطير ومكلف.

## من يتضرر

يشكّل المدنيون الغالبية العظمى من الضحايا المسجلين، وكثير منهم أطفال. ويعيش الناجون غالبًا مع بتر الأطراف
والحروق وفقدان البصر والصدمات النفسية، ويحتاجون إلى رعاية طوال حياتهم.

يسجّل باحثو التحالف الضربات والضحايا والمناطق الملوثة: انظر [الأبحاث](/research/).""",
            ),
        },
    ),
    "the-treaty": (
        20,
        {
            "en": (
                "The treaty",
                "The Convention on Cluster Munitions bans these weapons and requires states to repair the harm.",
                """The Convention on Cluster Munitions was adopted in Dublin on 30 May 2008, opened for signature in Oslo
on 3 December 2008 and entered into force on 1 August 2010. It was negotiated by governments together with survivors,
civil society and the International Committee of the Red Cross.

## What it bans

A state party must never use, develop, produce, acquire, stockpile, retain or transfer cluster munitions, nor
assist, encourage or induce anyone to do so.

## What it requires

- **Destroy stockpiles** within eight years (Article 3).
- **Clear contaminated land** within ten years and teach people at risk how to stay safe (Article 4).
- **Assist victims**: medical care, rehabilitation, psychological support and social and economic inclusion for
  survivors, their families and communities (Article 5).
- **Cooperate**: states in a position to do so help others meet their obligations (Article 6).
- **Report every year** on what they have done (Article 7), and adopt national laws to enforce the ban (Article 9).

## Where states stand

See [every state's status](/states/): which states have joined, which have signed but not ratified, and which
remain outside the treaty.""",
            ),
            "fr": (
                "Le traité",
                "La Convention sur les armes à sous-munitions interdit ces armes et oblige les États à réparer les dégâts.",
                """La Convention sur les armes à sous-munitions a été adoptée à Dublin le 30 mai 2008, ouverte à la
signature à Oslo le 3 décembre 2008 et est entrée en vigueur le 1er août 2010. Elle a été négociée par des
gouvernements avec des survivants, la société civile et le Comité international de la Croix-Rouge.

## Ce qu'elle interdit

Un État partie ne doit jamais employer, mettre au point, produire, acquérir, stocker, conserver ou transférer des
armes à sous-munitions, ni assister, encourager ou inciter quiconque à le faire.

## Ce qu'elle exige

- **Détruire les stocks** dans un délai de huit ans (article 3).
- **Dépolluer les terres contaminées** dans un délai de dix ans et apprendre aux personnes exposées à se protéger
  (article 4).
- **Assister les victimes** : soins médicaux, réadaptation, soutien psychologique et inclusion sociale et économique
  des survivants, de leurs familles et de leurs communautés (article 5).
- **Coopérer** : les États qui le peuvent aident les autres à remplir leurs obligations (article 6).
- **Rendre compte chaque année** de ce qui a été fait (article 7) et adopter des lois nationales pour faire
  respecter l'interdiction (article 9).

## Où en sont les États

Voir [la situation de chaque État](/states/) : ceux qui ont adhéré, ceux qui ont signé sans ratifier et ceux qui
restent en dehors du traité.""",
            ),
            "es": (
                "El tratado",
                "La Convención sobre Municiones en Racimo prohíbe estas armas y obliga a los Estados a reparar el daño.",
                """La Convención sobre Municiones en Racimo se adoptó en Dublín el 30 de mayo de 2008, se abrió a la
firma en Oslo el 3 de diciembre de 2008 y entró en vigor el 1 de agosto de 2010. La negociaron gobiernos junto con
sobrevivientes, la sociedad civil y el Comité Internacional de la Cruz Roja.

## Qué prohíbe

Un Estado parte nunca debe emplear, desarrollar, producir, adquirir, almacenar, conservar ni transferir municiones
en racimo, ni ayudar, alentar o inducir a nadie a hacerlo.

## Qué exige

- **Destruir las existencias** en un plazo de ocho años (artículo 3).
- **Despejar las tierras contaminadas** en un plazo de diez años y enseñar a las personas en riesgo a protegerse
  (artículo 4).
- **Asistir a las víctimas**: atención médica, rehabilitación, apoyo psicológico e inclusión social y económica de
  los sobrevivientes, sus familias y sus comunidades (artículo 5).
- **Cooperar**: los Estados que puedan hacerlo ayudan a otros a cumplir sus obligaciones (artículo 6).
- **Informar cada año** de lo realizado (artículo 7) y adoptar leyes nacionales para hacer cumplir la prohibición
  (artículo 9).

## La situación de los Estados

Consulte [la situación de cada Estado](/states/): cuáles se han adherido, cuáles han firmado sin ratificar y cuáles
siguen fuera del tratado.""",
            ),
            "ar": (
                "المعاهدة",
                "تحظر اتفاقية الذخائر العنقودية هذه الأسلحة وتُلزم الدول بمعالجة الأذى الذي سببته.",
                """اعتُمدت اتفاقية الذخائر العنقودية في دبلن في 30 أيار/مايو 2008، وفُتح باب التوقيع عليها في أوسلو في
3 كانون الأول/ديسمبر 2008، ودخلت حيّز النفاذ في 1 آب/أغسطس 2010. وقد تفاوضت عليها الحكومات مع الناجين والمجتمع
المدني واللجنة الدولية للصليب الأحمر.

## ما تحظره

لا يجوز للدولة الطرف أبدًا أن تستعمل الذخائر العنقودية أو تطوّرها أو تنتجها أو تحتازها أو تخزنها أو تحتفظ بها أو
تنقلها، ولا أن تساعد أحدًا أو تشجعه أو تحثه على ذلك.

## ما تفرضه

- **تدمير المخزونات** في غضون ثماني سنوات (المادة 3).
- **تطهير الأراضي الملوثة** في غضون عشر سنوات وتوعية المعرّضين للخطر بكيفية حماية أنفسهم (المادة 4).
- **مساعدة الضحايا**: الرعاية الطبية وإعادة التأهيل والدعم النفسي والإدماج الاجتماعي والاقتصادي للناجين
  وعائلاتهم ومجتمعاتهم (المادة 5).
- **التعاون**: تساعد الدول القادرة على ذلك غيرها على الوفاء بالتزاماتها (المادة 6).
- **تقديم تقرير كل عام** عمّا أُنجز (المادة 7)، واعتماد قوانين وطنية لإنفاذ الحظر (المادة 9).

## مواقف الدول

انظر [وضع كل دولة](/states/): الدول التي انضمت، والتي وقّعت دون أن تصادق، والتي ما زالت خارج المعاهدة.""",
            ),
        },
    ),
    "about": (
        30,
        {
            "en": (
                "About the coalition",
                "A global network of civil society organisations working for a world free of cluster munitions.",
                """The coalition brings together civil society organisations from around the world: survivors'
associations, humanitarian and human rights groups, clearance operators, faith groups and researchers.

## What we do

- **Campaign** for every state to join the treaty and for states parties to keep their promises.
- **Research** where cluster munitions have been used, who has been hurt and which land is contaminated, and publish
  it as open data.
- **Meet officials** and governments, and attend the treaty's meetings to hold states to account.
- **Support survivors** so that their voices are heard where decisions are made.

## How we work

Member organisations keep their own identity and priorities and act together on a common platform. A Steering
Committee guides the coalition between its meetings.

See [our members](/members/), or ask [to join](/members/join/).""",
            ),
            "fr": (
                "À propos de la coalition",
                "Un réseau mondial d'organisations de la société civile pour un monde sans armes à sous-munitions.",
                """La coalition rassemble des organisations de la société civile du monde entier : associations de
survivants, organisations humanitaires et de défense des droits humains, opérateurs de déminage, groupes
confessionnels et chercheurs.

## Ce que nous faisons

- **Faire campagne** pour que chaque État adhère au traité et que les États parties tiennent leurs engagements.
- **Documenter** où des armes à sous-munitions ont été employées, qui a été blessé et quelles terres sont
  contaminées, et le publier en données ouvertes.
- **Rencontrer les responsables** et les gouvernements, et participer aux réunions du traité pour demander des
  comptes aux États.
- **Soutenir les survivants** pour que leur voix soit entendue là où les décisions se prennent.

## Comment nous travaillons

Les organisations membres gardent leur identité et leurs priorités et agissent ensemble sur une plateforme commune.
Un comité directeur guide la coalition entre ses réunions.

Voir [nos membres](/members/), ou demander [à adhérer](/members/join/).""",
            ),
            "es": (
                "Sobre la coalición",
                "Una red mundial de organizaciones de la sociedad civil por un mundo libre de municiones en racimo.",
                """La coalición reúne a organizaciones de la sociedad civil de todo el mundo: asociaciones de
sobrevivientes, organizaciones humanitarias y de derechos humanos, operadores de desminado, grupos religiosos e
investigadores.

## Qué hacemos

- **Hacemos campaña** para que todos los Estados se adhieran al tratado y para que los Estados parte cumplan sus
  compromisos.
- **Investigamos** dónde se han usado municiones en racimo, quién ha resultado herido y qué tierras están
  contaminadas, y lo publicamos como datos abiertos.
- **Nos reunimos con autoridades** y gobiernos, y asistimos a las reuniones del tratado para exigir cuentas a los
  Estados.
- **Apoyamos a los sobrevivientes** para que sus voces se escuchen donde se toman las decisiones.

## Cómo trabajamos

Las organizaciones miembro mantienen su identidad y sus prioridades y actúan juntas sobre una plataforma común. Un
Comité Directivo orienta a la coalición entre sus reuniones.

Conozca a [nuestros miembros](/members/) o solicite [unirse](/members/join/).""",
            ),
            "ar": (
                "عن التحالف",
                "شبكة عالمية من منظمات المجتمع المدني تعمل من أجل عالم خالٍ من الذخائر العنقودية.",
                """يجمع التحالف منظمات المجتمع المدني من أنحاء العالم: جمعيات الناجين، والمنظمات الإنسانية ومنظمات حقوق
الإنسان، وجهات إزالة الألغام، والمجموعات الدينية، والباحثين.

## ماذا نفعل

- **نقود الحملات** كي تنضم كل دولة إلى المعاهدة وتفي الدول الأطراف بوعودها.
- **نوثّق** أين استُخدمت الذخائر العنقودية، ومن أصيب، وأي الأراضي ملوثة، وننشر ذلك بيانات مفتوحة.
- **نلتقي المسؤولين** والحكومات، ونحضر اجتماعات المعاهدة لمساءلة الدول.
- **ندعم الناجين** كي تُسمع أصواتهم حيث تُتخذ القرارات.

## كيف نعمل

تحتفظ المنظمات الأعضاء بهويتها وأولوياتها، وتعمل معًا على أساس برنامج مشترك. وتوجّه لجنة توجيهية التحالف بين
اجتماعاته.

تعرّف إلى [أعضائنا](/members/)، أو اطلب [الانضمام](/members/join/).""",
            ),
        },
    ),
    "take-part": (
        40,
        {
            "en": (
                "Take part",
                "Write to officials, come to an event, join as an organisation, or hear from us.",
                """Everyone can help end the harm caused by cluster munitions.

## Write to the officials who decide

Our actions let you write to the ministers and members of parliament who can bring your country into the treaty or
make it keep its promises: see [the actions](/act/).

## Come to an event

Public meetings, debates, exhibitions and vigils take place near you: see [the events](/events/).

## Join as an organisation

Civil society organisations that support the coalition's aims can [apply to join](/members/join/).

## Hear from us

[Sign up](/members/sign-up/) to receive news and be told when there is an action to take. You can change your mind
at any time.""",
            ),
            "fr": (
                "Agir",
                "Écrire aux responsables, venir à un événement, adhérer en tant qu'organisation ou recevoir nos nouvelles.",
                """Chacun peut aider à mettre fin aux dégâts causés par les armes à sous-munitions.

## Écrire aux responsables qui décident

Nos actions vous permettent d'écrire aux ministres et aux parlementaires qui peuvent faire adhérer votre pays au
traité ou lui faire tenir ses engagements : voir [les actions](/act/).

## Venir à un événement

Des réunions publiques, des débats, des expositions et des rassemblements ont lieu près de chez vous : voir
[les événements](/events/).

## Adhérer en tant qu'organisation

Les organisations de la société civile qui soutiennent les objectifs de la coalition peuvent
[demander à adhérer](/members/join/).

## Recevoir nos nouvelles

[Inscrivez-vous](/members/sign-up/) pour recevoir nos nouvelles et être prévenu quand il y a une action à mener.
Vous pouvez changer d'avis à tout moment.""",
            ),
            "es": (
                "Participar",
                "Escriba a las autoridades, venga a un evento, únase como organización o reciba nuestras noticias.",
                """Todas las personas pueden ayudar a poner fin al daño causado por las municiones en racimo.

## Escriba a las autoridades que deciden

Nuestras acciones le permiten escribir a los ministros y parlamentarios que pueden hacer que su país se adhiera al
tratado o que cumpla sus compromisos: consulte [las acciones](/act/).

## Venga a un evento

Cerca de usted se celebran reuniones públicas, debates, exposiciones y vigilias: consulte [los eventos](/events/).

## Únase como organización

Las organizaciones de la sociedad civil que apoyan los objetivos de la coalición pueden
[solicitar unirse](/members/join/).

## Reciba nuestras noticias

[Suscríbase](/members/sign-up/) para recibir noticias y saber cuándo hay una acción en curso. Puede cambiar de
opinión en cualquier momento.""",
            ),
            "ar": (
                "شارك معنا",
                "راسل المسؤولين، احضر فعالية، انضم بصفتك منظمة، أو تابع أخبارنا.",
                """يستطيع كل شخص أن يساعد في إنهاء الأذى الذي تسببه الذخائر العنقودية.

## راسل المسؤولين أصحاب القرار

تتيح لك حملاتنا مراسلة الوزراء والبرلمانيين القادرين على ضم بلدك إلى المعاهدة أو دفعه إلى الوفاء بالتزاماته:
انظر [الحملات](/act/).

## احضر فعالية

تُقام بالقرب منك اجتماعات عامة ونقاشات ومعارض ووقفات: انظر [الفعاليات](/events/).

## انضم بصفتك منظمة

يمكن لمنظمات المجتمع المدني التي تؤيد أهداف التحالف أن [تطلب الانضمام](/members/join/).

## تابع أخبارنا

[سجّل](/members/sign-up/) لتصلك أخبارنا ولنعلمك حين تكون هناك حملة تستدعي المشاركة. ويمكنك تغيير رأيك في أي
وقت.""",
            ),
        },
    ),
    "resources": (
        50,
        {
            "en": (
                "Resources",
                "Fact sheets, reports and briefing papers to download and share.",
                """Fact sheets, reports and briefing papers for campaigners, journalists, parliamentarians and
diplomats. They are listed below, with the language of each document.

- **Fact sheets** explain in two pages what cluster munitions are, what the treaty requires and where states stand.
- **Reports** present the coalition's research on use, casualties, contamination and clearance.
- **Briefing papers** prepare the treaty's meetings: what is at stake and what we ask of states.

The figures behind our reports are open data: see [the research](/research/) and the
[open data API](/api/docs/).""",
            ),
            "fr": (
                "Ressources",
                "Fiches d'information, rapports et notes d'information à télécharger et à partager.",
                """Fiches d'information, rapports et notes d'information pour les militants, les journalistes, les
parlementaires et les diplomates. Ils sont listés ci-dessous, avec la langue de chaque document.

- **Les fiches d'information** expliquent en deux pages ce que sont les armes à sous-munitions, ce qu'exige le traité
  et où en sont les États.
- **Les rapports** présentent les recherches de la coalition sur l'emploi, les victimes, la contamination et la
  dépollution.
- **Les notes d'information** préparent les réunions du traité : les enjeux et ce que nous demandons aux États.

Les chiffres de nos rapports sont des données ouvertes : voir [la recherche](/research/) et
[l'API de données ouvertes](/api/docs/).""",
            ),
            "es": (
                "Recursos",
                "Hojas informativas, informes y documentos de posición para descargar y compartir.",
                """Hojas informativas, informes y documentos de posición para activistas, periodistas, parlamentarios
y diplomáticos. Aparecen a continuación, con el idioma de cada documento.

- **Las hojas informativas** explican en dos páginas qué son las municiones en racimo, qué exige el tratado y cuál es
  la situación de los Estados.
- **Los informes** presentan la investigación de la coalición sobre el uso, las víctimas, la contaminación y el
  despeje.
- **Los documentos de posición** preparan las reuniones del tratado: lo que está en juego y lo que pedimos a los
  Estados.

Las cifras de nuestros informes son datos abiertos: consulte [la investigación](/research/) y
[la API de datos abiertos](/api/docs/).""",
            ),
            "ar": (
                "موارد",
                "صحائف وقائع وتقارير وأوراق إحاطة للتنزيل والمشاركة.",
                """صحائف وقائع وتقارير وأوراق إحاطة للناشطين والصحفيين والبرلمانيين والدبلوماسيين. تجدها أدناه مع لغة
كل وثيقة.

- **صحائف الوقائع** تشرح في صفحتين ما هي الذخائر العنقودية، وما تفرضه المعاهدة، وأين تقف الدول.
- **التقارير** تعرض أبحاث التحالف حول الاستخدام والضحايا والتلوث والتطهير.
- **أوراق الإحاطة** تمهّد لاجتماعات المعاهدة: ما هو على المحك، وما نطلبه من الدول.

الأرقام التي تستند إليها تقاريرنا بيانات مفتوحة: انظر [الأبحاث](/research/) و
[واجهة البيانات المفتوحة](/api/docs/).""",
            ),
        },
    ),
}
